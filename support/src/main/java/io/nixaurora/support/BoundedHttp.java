package io.nixaurora.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP exchange read whole within a time and size limit. The JDK's request timeout ends when
 * the headers arrive: a server that then sends its body one byte a second, or without end, would
 * hang the caller or fill the heap. Here the deadline covers the whole body, and a body over the
 * limit ends the exchange.
 */
public final class BoundedHttp {
  private BoundedHttp() {}

  /** A body larger than the limit: the exchange was ended. */
  public static final class BodyTooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLarge(String message) {
      super(message);
    }
  }

  /**
   * Sends {@code request} and reads the whole answer.
   *
   * @param maxBytes the largest body accepted
   * @param deadline the time for the whole exchange, headers and body
   * @throws HttpTimeoutException when the whole answer did not arrive within {@code deadline}
   * @throws BodyTooLarge when the body is larger than {@code maxBytes}
   * @throws IOException for transport errors, as {@link HttpClient#send} throws them
   */
  public static HttpResponse<byte[]> send(
      HttpClient client, HttpRequest request, long maxBytes, Duration deadline)
      throws IOException, InterruptedException {
    Collector collector = new Collector(maxBytes);
    CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request, info -> collector);
    try {
      return exchange.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      collector.abort();
      exchange.cancel(true);
      throw new HttpTimeoutException(
          "no complete answer within " + seconds(deadline) + " (headers and body)");
    } catch (InterruptedException e) {
      collector.abort();
      exchange.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof BodyTooLarge tooLarge) {
        throw new BodyTooLarge(tooLarge.getMessage());
      }
      if (cause instanceof HttpTimeoutException t) {
        HttpTimeoutException copy = new HttpTimeoutException(t.getMessage());
        copy.initCause(t);
        throw copy;
      }
      if (cause instanceof java.net.ConnectException c) {
        java.net.ConnectException copy = new java.net.ConnectException(c.getMessage());
        copy.initCause(c);
        throw copy;
      }
      if (cause instanceof IOException io) {
        // The same type the synchronous send would throw, so callers can tell the kinds apart.
        throw io;
      }
      throw new IOException(String.valueOf(cause), cause);
    }
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** Collects the body up to a limit; ends the exchange when the limit is passed or on abort. */
  private static final class Collector implements HttpResponse.BodySubscriber<byte[]> {
    private final long limit;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private Flow.Subscription subscription;
    private boolean aborted;

    Collector(long limit) {
      this.limit = limit;
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (aborted) {
        s.cancel();
        return;
      }
      s.request(Long.MAX_VALUE);
    }

    @Override
    public synchronized void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : buffers) {
        if ((long) body.size() + b.remaining() > limit) {
          subscription.cancel();
          result.completeExceptionally(
              new BodyTooLarge("the answer is larger than " + limit + " bytes"));
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        body.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public synchronized void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public synchronized void onComplete() {
      result.complete(body.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    synchronized void abort() {
      aborted = true;
      if (subscription != null) {
        subscription.cancel();
      }
      result.completeExceptionally(new HttpTimeoutException("aborted"));
    }
  }
}
