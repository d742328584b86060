package io.nixaurora.api;

import io.nixaurora.api.event.EventListener;

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
}
