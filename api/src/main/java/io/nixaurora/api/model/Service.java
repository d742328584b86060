package io.nixaurora.api.model;

/**
 * Aurora's {@code Service}: a {@link Job} with {@code service = true}, rescheduled whenever it
 * ends. There is no separate service type; this only names the builder the way Aurora's DSL does.
 *
 * <pre>{@code
 * Job web = Service.builder().cluster("devcluster").role("www")...build();
 * }</pre>
 */
public final class Service {

  private Service() {}

  /** A job builder with {@code service} set to true. */
  public static Job.Builder builder() {
    return Job.builder().service(true);
  }
}
