package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A Thermos process. Unset (null) optional fields take Aurora's defaults when the job runs.
 *
 * @param name the process name, {@code ^[^./][^/]*$}
 * @param cmdline run as {@code /bin/bash -c <cmdline>}
 * @param maxFailures non-zero exits before the process fails (Aurora default 1; 0 = forever)
 * @param daemon rerun after exiting 0 (default false)
 * @param ephemeral ignored for task completion (default false)
 * @param minDuration seconds between runs (default 5)
 * @param isFinal runs after the regular processes (default false)
 * @param logger where its output goes (default: files in the sandbox)
 * @param resources reserved by Thermos and unused by Aurora; kept so that every job Aurora reads
 *     can be read
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "name",
  "cmdline",
  "max_failures",
  "daemon",
  "ephemeral",
  "min_duration",
  "final",
  "logger",
  "resources"
})
public record Process(
    @JsonProperty(value = "name", required = true) String name,
    @JsonProperty(value = "cmdline", required = true) Cmdline cmdline,
    @JsonProperty("max_failures") Integer maxFailures,
    @JsonProperty("daemon") Boolean daemon,
    @JsonProperty("ephemeral") Boolean ephemeral,
    @JsonProperty("min_duration") Integer minDuration,
    @JsonProperty("final") Boolean isFinal,
    @JsonProperty("logger") Logger logger,
    @JsonProperty("resources") Resources resources) {

  public Process {
    Require.present(name, "process.name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("process.name: must not be empty");
    }
    Require.present(cmdline, "process.cmdline");
    // Negative max_failures and min_duration are Aurora's to take: the client sends them and
    // Thermos runs such a process like one with 1 and 0 (checked with the real runner).
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this process's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.cmdline = cmdline;
    b.maxFailures = maxFailures;
    b.daemon = daemon;
    b.ephemeral = ephemeral;
    b.minDuration = minDuration;
    b.isFinal = isFinal;
    b.logger = logger;
    b.resources = resources;
    return b;
  }

  /** Builds a process. */
  public static final class Builder {
    private String name;
    private Cmdline cmdline;
    private Integer maxFailures;
    private Boolean daemon;
    private Boolean ephemeral;
    private Integer minDuration;
    private Boolean isFinal;
    private Logger logger;
    private Resources resources;

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder cmdline(String cmdline) {
      this.cmdline = Cmdline.of(cmdline);
      return this;
    }

    public Builder cmdline(Cmdline cmdline) {
      this.cmdline = cmdline;
      return this;
    }

    public Builder maxFailures(int maxFailures) {
      this.maxFailures = maxFailures;
      return this;
    }

    public Builder daemon(boolean daemon) {
      this.daemon = daemon;
      return this;
    }

    public Builder ephemeral(boolean ephemeral) {
      this.ephemeral = ephemeral;
      return this;
    }

    public Builder minDuration(int minDuration) {
      this.minDuration = minDuration;
      return this;
    }

    public Builder isFinal(boolean isFinal) {
      this.isFinal = isFinal;
      return this;
    }

    public Builder logger(Logger logger) {
      this.logger = logger;
      return this;
    }

    /** Reserved by Thermos, unused by Aurora. */
    public Builder resources(Resources resources) {
      this.resources = resources;
      return this;
    }

    /**
     * The process.
     *
     * @throws IllegalArgumentException naming the field when a required field is missing or a value
     *     is out of range
     */
    public Process build() {
      return new Process(
          name, cmdline, maxFailures, daemon, ephemeral, minDuration, isFinal, logger, resources);
    }
  }
}
