package io.nixaurora.api;

/**
 * A binary cache refused, failed or holds something wrong. {@link #network()} tells a transport
 * failure (exit code 7) from an answer the cache gave (exit code 4); an authentication refusal is
 * exit code 30.
 */
public class CacheException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** Why the cache operation failed. */
  public enum Kind {
    /** The cache answered with an error, or holds something wrong. */
    FAILURE,
    /** The cache could not be reached. */
    NETWORK,
    /** The cache refused our credentials (HTTP 401/403). */
    AUTHENTICATION
  }

  private final Kind kind;

  public CacheException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public CacheException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public boolean network() {
    return kind == Kind.NETWORK;
  }

  @Override
  public int exitCode() {
    return switch (kind) {
      case FAILURE -> 4;
      case NETWORK -> 7;
      case AUTHENTICATION -> 30;
    };
  }
}
