package io.nixaurora.api;

/** Publishing closures failed. Exit code 4 (7 for a network failure, see subclasses). */
public class StoreException extends NixAuroraException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public int exitCode() {
    return 4;
  }
}
