package io.nixaurora.api.event;

/** Receives events. Implementations must be thread-safe: pushes report from several threads. */
@FunctionalInterface
public interface EventListener {

  /** A listener that drops everything. */
  EventListener NONE = event -> {};

  void on(Event event);
}
