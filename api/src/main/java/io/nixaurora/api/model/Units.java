package io.nixaurora.api.model;

/** Aurora's size units, in bytes ({@code schema_base.py}). */
public final class Units {
  public static final long B = 1;
  public static final long KB = 1024;
  public static final long MB = 1024 * KB;
  public static final long GB = 1024 * MB;
  public static final long TB = 1024 * GB;

  private Units() {}
}
