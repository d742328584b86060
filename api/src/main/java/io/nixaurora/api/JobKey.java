package io.nixaurora.api;

import io.nixaurora.api.model.Job;
import java.util.ArrayList;
import java.util.List;
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
    List<InvalidJobException.Violation> problems = violations(cluster, role, environment, name);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(problems.get(0).toString());
    }
  }

  /**
   * Every problem with these key parts, each naming its field ({@code environment}), in the order
   * cluster, role, environment, name; empty when they make a valid key. Job files and the command
   * line are checked with this, so a bad part is reported like any other invalid field.
   */
  public static List<InvalidJobException.Violation> violations(
      String cluster, String role, String environment, String name) {
    List<InvalidJobException.Violation> out = new ArrayList<>();
    if (cluster == null || cluster.isBlank()) {
      out.add(new InvalidJobException.Violation("cluster", "is required"));
    } else if (cluster.contains("/")) {
      // The client splits CLUSTER/ROLE/ENV/NAME on '/', so such a cluster cannot be named.
      out.add(
          new InvalidJobException.Violation(
              "cluster", "must be a name without '/', got '" + cluster + "'"));
    }
    identifier("role", role, out);
    identifier("environment", environment, out);
    identifier("name", name, out);
    if (environment != null
        && identifierProblem(environment) == null
        && !ENVIRONMENT.matcher(environment).matches()) {
      out.add(
          new InvalidJobException.Violation(
              "environment",
              "must match "
                  + ENVIRONMENT.pattern()
                  + " (prod, devel, test or staging<N>), got '"
                  + environment
                  + "'; the Aurora scheduler refuses other environments (its default"
                  + " -allowed_job_environments)"));
    }
    return out;
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
      return "is longer than "
          + MAX_IDENTIFIER_LENGTH
          + " characters, which the Aurora scheduler refuses";
    }
    if (!IDENTIFIER.matcher(value).matches()) {
      return "must match "
          + IDENTIFIER.pattern()
          + " (ASCII letters, digits, _ - .), got '"
          + value
          + "'";
    }
    return null;
  }

  private static void identifier(
      String field, String value, List<InvalidJobException.Violation> out) {
    String problem = identifierProblem(value);
    if (problem != null) {
      out.add(new InvalidJobException.Violation(field, problem));
    }
  }

  @Override
  public String toString() {
    return cluster + "/" + role + "/" + environment + "/" + name;
  }
}
