package io.nixaurora.support;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLException;

/** Transport failures in words a user reads ("connection refused"), not JDK class names. */
public final class NetworkErrors {
  private NetworkErrors() {}

  /** What went wrong, in a few words, without exception class names. */
  public static String describe(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "cannot connect within the connect timeout";
    }
    if (e instanceof HttpTimeoutException) {
      return "timed out" + detail(e);
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof UnknownHostException) {
      return "unknown host" + detail(e);
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return "TLS failed" + (t.getMessage() == null ? "" : ": " + t.getMessage());
      }
    }
    if (e instanceof BoundedHttp.BodyTooLarge) {
      return e.getMessage();
    }
    return e.getMessage() == null || e.getMessage().isBlank()
        ? "transport error (" + e.getClass().getSimpleName() + ")"
        : "transport error: " + e.getMessage();
  }

  private static String detail(IOException e) {
    return e.getMessage() == null || e.getMessage().isBlank() ? "" : " (" + e.getMessage() + ")";
  }
}
