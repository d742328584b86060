package io.nixaurora.nix.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nixaurora.api.BuiltJob;
import io.nixaurora.api.JobSource;
import io.nixaurora.api.event.EventListener;
import io.nixaurora.api.model.Announcer;
import io.nixaurora.api.model.BatchUpdateStrategy;
import io.nixaurora.api.model.Constraint;
import io.nixaurora.api.model.CountSlaPolicy;
import io.nixaurora.api.model.CronCollisionPolicy;
import io.nixaurora.api.model.Docker;
import io.nixaurora.api.model.ExecutorConfig;
import io.nixaurora.api.model.HealthCheckConfig;
import io.nixaurora.api.model.HealthCheckerConfig;
import io.nixaurora.api.model.HttpHealthChecker;
import io.nixaurora.api.model.HttpLifecycleConfig;
import io.nixaurora.api.model.Job;
import io.nixaurora.api.model.LifecycleConfig;
import io.nixaurora.api.model.Logger;
import io.nixaurora.api.model.Metadata;
import io.nixaurora.api.model.Parameter;
import io.nixaurora.api.model.PartitionPolicy;
import io.nixaurora.api.model.Process;
import io.nixaurora.api.model.Resources;
import io.nixaurora.api.model.RotatePolicy;
import io.nixaurora.api.model.Task;
import io.nixaurora.api.model.Units;
import io.nixaurora.api.model.UpdateConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Java job that sets (nearly) every field goes through the Nix library and comes back equal: the
 * renderer, aurora.nix's schemas (names, types, choices) and the model agree.
 */
class RoundTripIT {

  @TempDir Path tmp;

  static Job fullJob() {
    Task task =
        Task.builder()
            .name("web")
            .process(
                Process.builder()
                    .name("setup")
                    .cmdline("mkdir -p state")
                    .maxFailures(3)
                    .minDuration(1)
                    .build())
            .process(
                Process.builder()
                    .name("server")
                    .cmdline("exec server -p {{thermos.ports[http]}}")
                    .maxFailures(0)
                    .daemon(true)
                    .logger(
                        Logger.rotating(Logger.Destination.BOTH, RotatePolicy.of(10 * Units.MB, 3)))
                    .build())
            .process(
                Process.builder()
                    .name("stats")
                    .cmdline("echo {{mesos.instance}}")
                    .ephemeral(true)
                    .build())
            .process(
                Process.builder()
                    .name("cleanup")
                    .cmdline("rm -rf state")
                    .isFinal(true)
                    .logger(Logger.to(Logger.Destination.CONSOLE))
                    .build())
            .constraint(Constraint.order("setup", "server"))
            .resources(new Resources(0.5, 256 * Units.MB, 1 * Units.GB, 0))
            .maxFailures(1)
            .maxConcurrency(0)
            .finalizationWait(30)
            .user("www-data")
            .build();
    return Job.builder()
        .cluster("devcluster")
        .role("www-data")
        .environment("prod")
        .name("web")
        .service(true)
        .instances(3)
        .contact("ops@example.com")
        .tier("preferred")
        .priority(5)
        .production(true)
        .maxTaskFailures(-1)
        .enableHooks(false)
        .cronCollisionPolicy(CronCollisionPolicy.CANCEL_NEW)
        .task(task)
        .announce(new Announcer("http", Map.of("aurora", "http", "health", "health"), "/aurora"))
        .updateConfig(
            UpdateConfig.builder()
                .watchSecs(30)
                .maxPerShardFailures(1)
                .rollbackOnFailure(true)
                .pulseIntervalSecs(60)
                .slaAware(true)
                .updateStrategy(new BatchUpdateStrategy(2, true))
                .build())
        .healthCheckConfig(
            HealthCheckConfig.builder()
                .healthChecker(
                    HealthCheckerConfig.http(new HttpHealthChecker("/healthz", "ok", 200)))
                .initialIntervalSecs(20)
                .intervalSecs(5.5)
                .maxConsecutiveFailures(3)
                .timeoutSecs(2)
                .build())
        .lifecycle(
            LifecycleConfig.http(
                new HttpLifecycleConfig("health", "/quitquitquit", "/abortabortabort", 10, 5)))
        .placementConstraint("rack", "!r1,r2")
        .metadata(Metadata.of("team", "web"))
        .taskLink("logs", "http://logs.example.com/{{mesos.hostname}}")
        .executorConfig(ExecutorConfig.of(ExecutorConfig.AURORA_EXECUTOR, ""))
        .partitionPolicy(PartitionPolicy.of(true, 30))
        .slaPolicy(CountSlaPolicy.of(2, 1800))
        .container(Docker.of("nginx:1.24", Parameter.of("env", "FOO=${bar}")))
        .build();
  }

  @Test
  void aFullJavaJobComesBackEqual() throws Exception {
    Job job = fullJob();
    BuiltJob built =
        Jobs.evaluator(tmp.resolve("cache")).evaluate(JobSource.java(job, tmp), EventListener.NONE);
    assertEquals(job, built.job());
  }
}
