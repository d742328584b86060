package io.nixaurora.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local store provider's GC roots over a job's life: a refused create and a kill remove them,
 * {@code gc-roots} finds and (with --remove) removes those of jobs that are gone. A fake aurora
 * client answers by job name: {@code refused*} cannot be created, {@code gone*} has no tasks.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class GcRootsIT {

  @TempDir Path tmp;
  Cli cli;
  Path roots;

  @BeforeEach
  void setUp() throws Exception {
    cli = new Cli(tmp);
    roots = tmp.resolve("gcroots");
    Path aurora = tmp.resolve("aurora");
    Files.writeString(
        aurora,
        """
        #!/bin/bash
        key="$4"; [ "$2" = killall ] || [ "$2" = status ] && key="$3"
        case "$1 $2 $key" in
          "job create "*/refused*) echo "Error: the scheduler refused it" >&2; exit 4;;
          "job create "*) echo "Job create succeeded: job url=http://aurora.local/$key";;
          "cron schedule "*) echo "Cron job scheduled, status can be viewed at http://aurora.local/$key";;
          "job killall "*) echo "Job killall succeeded";;
          "job status "*/gone*) echo "Found no jobs matching $key" >&2; exit 6;;
          "job status "*) printf 'Active tasks (1):\\n\\tTask role: vagrant, env: devel, name: x, instance: 0, status: RUNNING on h\\nInactive tasks (0):\\n';;
          *) echo "unexpected $*" >&2; exit 1;;
        esac
        """);
    Files.setPosixFilePermissions(aurora, PosixFilePermissions.fromString("rwxr-xr-x"));
    cli.config(
        "{\"clusters\": {\"devcluster\": {\"aurora_binary\": \""
            + aurora
            + "\", \"gc_roots_dir\": \""
            + roots
            + "\"}}}");
  }

  private Cli.Result create(String name) throws Exception {
    Path job = Fixtures.helloJob(tmp.resolve("jobs/" + name), "devcluster", name, "gc").getParent();
    return cli.run("create", "devcluster/vagrant/devel/" + name, job.toString());
  }

  private boolean rooted(String name) {
    return Files.isSymbolicLink(roots.resolve("devcluster/vagrant/devel/" + name + "/hello"));
  }

  @Test
  void aRefusedCreateRemovesTheRootsItRegistered() throws Exception {
    Cli.Result r = create("refused");
    assertEquals(4, r.exitCode(), r.toString());
    assertFalse(rooted("refused"), "the refused job's GC roots stayed");
    assertFalse(Files.exists(roots.resolve("devcluster")), "empty directories stayed");
  }

  @Test
  void killRemovesTheJobsRoots() throws Exception {
    assertEquals(0, create("killed").exitCode());
    assertTrue(rooted("killed"));
    Cli.Result r = cli.run("kill", "devcluster/vagrant/devel/killed");
    assertEquals(0, r.exitCode(), r.toString());
    assertFalse(rooted("killed"), "kill left the GC roots");
  }

  @Test
  void gcRootsListsTheJobsThatAreGoneAndRemovesThemOnlyWhenAsked() throws Exception {
    assertEquals(0, create("gone1").exitCode());
    assertEquals(0, create("alive").exitCode());
    Cli.Result list = cli.run("gc-roots", "devcluster");
    assertEquals(0, list.exitCode(), list.toString());
    assertTrue(list.out().contains("gone    devcluster/vagrant/devel/gone1"), list.out());
    assertTrue(list.out().contains("kept    devcluster/vagrant/devel/alive"), list.out());
    assertTrue(rooted("gone1"), "removed without --remove");

    Cli.Result removed = cli.run("gc-roots", "devcluster", "--remove");
    assertEquals(0, removed.exitCode(), removed.toString());
    assertTrue(removed.out().contains("removed devcluster/vagrant/devel/gone1"), removed.out());
    assertFalse(rooted("gone1"));
    assertTrue(rooted("alive"), "the roots of a running job were removed");
  }

  @Test
  void killKeepsTheRootsOfACronJobAndGcRootsKeepsThemToo() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("jobs/nightly"));
    Files.writeString(
        dir.resolve("default.nix"),
        """
        { aurora, pkgs, ... }:
        with aurora;
        Job {
          cluster = "devcluster"; role = "vagrant"; environment = "devel"; name = "gone-nightly";
          cron_schedule = "0 3 * * *";
          task = Task {
            processes = [ (Process { name = "hello"; cmdline = "${pkgs.hello}/bin/hello"; }) ];
            resources = Resources { cpu = 1; ram = 16 * MB; disk = 16 * MB; };
          };
        }
        """);
    Cli.Result created = cli.run("create", "devcluster/vagrant/devel/gone-nightly", dir.toString());
    assertEquals(0, created.exitCode(), created.toString());
    assertTrue(rooted("gone-nightly"));
    assertEquals(0, cli.run("kill", "devcluster/vagrant/devel/gone-nightly").exitCode());
    assertTrue(rooted("gone-nightly"), "kill removed a scheduled cron job's roots");
    Cli.Result r = cli.run("gc-roots", "devcluster", "--remove");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(
        r.out().contains("kept    devcluster/vagrant/devel/gone-nightly (a cron job"), r.out());
    assertTrue(rooted("gone-nightly"));
  }
}
