package io.nixaurora.api.event;

/** Something a library reports instead of printing; the CLI renders it. */
public sealed interface Event permits LogEvent, ProgressEvent {}
