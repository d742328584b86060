package io.nixaurora.api;

import io.nixaurora.api.model.Job;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An Aurora job key: {@code cluster/role/environment/name}.
 *
 * <p>Role, environment and name follow Aurora's identifier rule {@code ^[\w\-\.]+$} and are at most
 * 255 characters; the environment must also match {@code ^(prod|devel|test|staging\d*)$}. The
 * cluster is not pattern-checked by Aurora; it must be non-empty and free of {@code /}.
 */
public record JobKey(String cluster, String role, String environment, String name) {

  /** Aurora's {@code GOOD_IDENTIFIER_PATTERN}. */
  public static final Pattern IDENTIFIER = Pattern.compile("^[\\w\\-.]+$");

  /** Aurora's default {@code -allowed_job_environments}. */
  public static final Pattern ENVIRONMENT = Pattern.compile("^(prod|devel|test|staging\\d*)$");

  /** The longest identifier Aurora accepts. */
  public static final int MAX_IDENTIFIER_LENGTH = 255;

  public JobKey {
    Objects.requireNonNull(cluster, "cluster");
    if (cluster.isEmpty() || cluster.contains("/") || cluster.isBlank()) {
      throw new IllegalArgumentException(
          "cluster: must be a non-empty name without '/', got '" + cluster + "'");
    }
    checkIdentifier("role", role);
    checkIdentifier("environment", environment);
    checkIdentifier("name", name);
    if (!ENVIRONMENT.matcher(environment).matches()) {
      throw new IllegalArgumentException(
          "environment: must match "
              + ENVIRONMENT.pattern()
              + " (prod, devel, test, staging<N>), got '"
              + environment
              + "'");
    }
  }

  /**
   * The key of {@code job}; throws {@link IllegalArgumentException} when an identifier is invalid.
   */
  public static JobKey of(Job job) {
    return new JobKey(job.cluster(), job.role(), job.environment(), job.name());
  }

  /** Parses {@code CLUSTER/ROLE/ENV/NAME} as the aurora client does. */
  public static JobKey parse(String path) {
    Objects.requireNonNull(path, "job key");
    String[] parts = path.split("/", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException(
          "job key: expected CLUSTER/ROLE/ENV/NAME, got '" + path + "'");
    }
    return new JobKey(parts[0], parts[1], parts[2], parts[3]);
  }

  /** Returns a problem with {@code value} as an identifier, or {@code null} if it is fine. */
  public static String identifierProblem(String value) {
    if (value == null || value.isEmpty()) {
      return "is required";
    }
    if (value.length() > MAX_IDENTIFIER_LENGTH) {
      return "is longer than " + MAX_IDENTIFIER_LENGTH + " characters";
    }
    if (!IDENTIFIER.matcher(value).matches()) {
      return "must match "
          + IDENTIFIER.pattern()
          + " (letters, digits, _ - .), got '"
          + value
          + "'";
    }
    return null;
  }

  private static void checkIdentifier(String field, String value) {
    String problem = identifierProblem(value);
    if (problem != null) {
      throw new IllegalArgumentException(field + ": " + problem);
    }
  }

  @Override
  public String toString() {
    return cluster + "/" + role + "/" + environment + "/" + name;
  }
}
