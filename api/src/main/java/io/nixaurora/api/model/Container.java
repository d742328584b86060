package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Aurora's {@code container} Choice: a {@link Docker} container, a {@link Mesos} container (the
 * Mesos containerizer, optionally with an image), or the deprecated {@link LegacyContainer} ({@code
 * {"docker": {...}}}).
 *
 * <p>Like Aurora's Choice, the JSON is the chosen struct without a type tag (docs/aurora-spec.md
 * §1.4): {@code {"image": "repo:tag", "parameters": [...]}} is Docker, {@code {"image": {...},
 * "volumes": [...]}} is Mesos, {@code {"docker": {...}}} is the legacy form. Docker always writes
 * {@code parameters} and Mesos always writes {@code volumes} so that a reader can tell them apart.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION, defaultImpl = Docker.class)
@JsonSubTypes({
  @JsonSubTypes.Type(Docker.class),
  @JsonSubTypes.Type(Mesos.class),
  @JsonSubTypes.Type(LegacyContainer.class)
})
public sealed interface Container permits Docker, Mesos, LegacyContainer {}
