package io.nixaurora.submit.http;

import io.nixaurora.api.JobKey;
import io.nixaurora.api.SubmitException;
import io.nixaurora.submit.http.AuroraApi.Response;
import io.nixaurora.submit.http.AuroraApi.ResponseCode;
import io.nixaurora.submit.http.AuroraApi.ResponseDetail;
import io.nixaurora.support.SafeText;
import java.util.Optional;
import java.util.stream.Collectors;

/** Reading the scheduler's {@code Response}: its code, its details and its result. */
final class Responses {
  /** The most of the scheduler's {@code details} text kept in a message. */
  static final int MAX_DETAILS = 64 * 1024;

  private Responses() {}

  /** The response code as sent (-1 when there is none). */
  static long code(TJsonReply.Struct response) {
    return response.integer(Response.RESPONSE_CODE).orElse(-1L);
  }

  /** Whether the response code is {@code code}. */
  static boolean is(TJsonReply.Struct response, ResponseCode code) {
    return code(response) == code.value();
  }

  /** Whether the call succeeded (OK or WARNING). */
  static boolean ok(TJsonReply.Struct response) {
    return is(response, ResponseCode.OK) || is(response, ResponseCode.WARNING);
  }

  /** The result union's field {@code field} (one of {@link AuroraApi.Result}'s). */
  static Optional<TJsonReply.Struct> result(TJsonReply.Struct response, short field) {
    return response.struct(Response.RESULT).flatMap(r -> r.struct(field));
  }

  /** Turns a non-OK response code into the matching exception. */
  static void check(String method, TJsonReply.Struct response, JobKey key) throws SubmitException {
    long code = code(response);
    String details = details(response);
    String message =
        method + " for " + key + " failed: " + (details.isEmpty() ? "(no details)" : details);
    Optional<ResponseCode> known = AuroraApi.ThriftEnum.of(ResponseCode.class, code);
    if (known.isPresent()) {
      switch (known.get()) {
        case OK, WARNING -> {
          return;
        }
        case INVALID_REQUEST -> {
          // The scheduler reports "already exists" as INVALID_REQUEST; the aurora client treats
          // every createJob refusal as a command failure, and that is what the user can act on.
          if (details.contains("already exists")) {
            throw new SubmitException.CommandFailed(message);
          }
          throw new SubmitException.InvalidConfiguration(message);
        }
        case AUTH_FAILED -> throw new SubmitException.Authentication(message);
        case ERROR, JOB_UPDATING_ERROR -> throw new SubmitException.CommandFailed(message);
        case ERROR_TRANSIENT -> {} // left after the retries: an API error, as an unknown code
      }
    }
    throw new SubmitException.ApiError(message + " (response code " + code + ")");
  }

  /** The response's details, one per line. */
  static String details(TJsonReply.Struct response) {
    // Bounded: the CLI cuts long lines for the terminal, but a 5 MB message is of no use anywhere.
    return SafeText.cut(
        response.structs(Response.DETAILS).stream()
            .map(d -> d.str(ResponseDetail.MESSAGE).orElse(""))
            .filter(s -> !s.isEmpty())
            .collect(Collectors.joining("\n")),
        MAX_DETAILS);
  }
}
