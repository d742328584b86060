package io.nixaurora.api;

import io.nixaurora.api.event.EventListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Makes built closures available to the cluster's agents and says how an agent realises them.
 * Implementations: {@code local} (the agent's own Nix store) and {@code binary-cache} (a signed Nix
 * binary cache the closures are pushed to).
 */
public interface StoreProvider {

  /** The name the provider is selected by, such as {@code local}. */
  String name();

  /** The init command, without publishing (for {@code build} and {@code --dry-run}). */
  InitCommand initCommand();

  /**
   * Makes every process script of {@code job} (and so its closure) realisable on the agents, and
   * returns how. Nothing is half-published: on failure what was written stays consistent.
   *
   * @throws StoreException when a path cannot be published
   */
  Publication publish(BuiltJob job, EventListener events) throws StoreException;

  /**
   * Publishes several jobs at once, one publication per job in the order given. An implementation
   * should publish the union of their closures once (each path once); the default publishes them
   * one after the other. A failure fails the call: no job is reported published unless all are.
   *
   * @throws StoreException when a path cannot be published
   */
  default List<Publication> publishAll(List<BuiltJob> jobs, EventListener events)
      throws StoreException {
    List<Publication> publications = new ArrayList<>(jobs.size());
    for (BuiltJob job : jobs) {
      publications.add(publish(job, events));
    }
    return List.copyOf(publications);
  }

  /**
   * What the agents' Nix needs to realise closures published here, as {@code nix.conf} text (its
   * comments say the rest), for {@code nix-aurora agent-config}; empty when the provider cannot
   * say.
   *
   * @throws StoreException when what the agents need cannot be read (such as a missing key)
   */
  default Optional<String> agentConfig() throws StoreException {
    return Optional.empty();
  }

  /**
   * What a {@link #publish} stopped part way (interrupted, killed) may leave behind, in one clause,
   * for the message shown on interruption.
   */
  default String interruptedPublishLeaves() {
    return "the store may hold part of the closures";
  }

  /**
   * The jobs this provider keeps something alive for on this machine (the local provider's GC
   * roots). Providers that keep nothing per job (a binary cache keeps its paths for every job)
   * return none.
   *
   * @throws StoreException when what is kept cannot be read
   */
  default Set<JobKey> retainedJobs() throws StoreException {
    return Set.of();
  }

  /**
   * Lets go of what {@link #publish} keeps alive for {@code key} (its GC roots) once the job is
   * gone; never of what another job keeps. Providers that keep nothing per job do nothing.
   *
   * @return whether anything was released
   * @throws StoreException when it cannot be released
   */
  default boolean release(JobKey key, EventListener events) throws StoreException {
    return false;
  }
}
