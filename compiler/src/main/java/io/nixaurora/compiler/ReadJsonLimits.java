package io.nixaurora.compiler;

import io.nixaurora.api.model.BatchUpdateStrategy;
import io.nixaurora.api.model.CountSlaPolicy;
import io.nixaurora.api.model.Docker;
import io.nixaurora.api.model.Job;
import io.nixaurora.api.model.Mesos;
import io.nixaurora.api.model.PercentageSlaPolicy;
import io.nixaurora.api.model.VariableBatchUpdateStrategy;
import java.util.ArrayList;
import java.util.List;

/**
 * What Aurora 0.22's {@code aurora job create --read-json} cannot load: pystachio 0.8.5 loads a
 * Choice-typed field from JSON only as its first alternative, so a {@code container} that is a
 * Docker or Mesos container, an {@code update_strategy} that is a batch or variable batch strategy
 * and an {@code sla_policy} that is a count or percentage policy are refused ("Unknown schema
 * attribute"). The same job in an {@code .aurora} file, or sent by the {@code http} submitter, is
 * accepted.
 */
public final class ReadJsonLimits {
  private ReadJsonLimits() {}

  /** The fields of {@code job} the client's {@code --read-json} cannot load, each described. */
  public static List<String> unloadable(Job job) {
    List<String> out = new ArrayList<>();
    if (job.container() instanceof Docker) {
      out.add("container (a Docker container)");
    } else if (job.container() instanceof Mesos) {
      out.add("container (a Mesos container)");
    }
    if (job.updateConfig() != null) {
      if (job.updateConfig().updateStrategy() instanceof BatchUpdateStrategy) {
        out.add("update_config.update_strategy (a BatchUpdateStrategy)");
      } else if (job.updateConfig().updateStrategy() instanceof VariableBatchUpdateStrategy) {
        out.add("update_config.update_strategy (a VariableBatchUpdateStrategy)");
      }
    }
    if (job.slaPolicy() instanceof CountSlaPolicy) {
      out.add("sla_policy (a CountSlaPolicy)");
    } else if (job.slaPolicy() instanceof PercentageSlaPolicy) {
      out.add("sla_policy (a PercentageSlaPolicy)");
    }
    return out;
  }

  /** One line saying why the client cannot read {@code fields} from JSON. */
  public static String describe(List<String> fields) {
    return String.join(", ", fields)
        + ": Aurora 0.22's `aurora job create --read-json` cannot load "
        + (fields.size() == 1 ? "this field" : "these fields")
        + " (pystachio reads only a Choice's first alternative from JSON)";
  }
}
