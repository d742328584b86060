package io.nixaurora.api.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The image of a {@link Mesos} container, Aurora's Choice of {@link AppcImage} ({@code name} +
 * {@code image_id}) and {@link DockerImage} ({@code name} + {@code tag}); untagged in JSON.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
@JsonSubTypes({@JsonSubTypes.Type(AppcImage.class), @JsonSubTypes.Type(DockerImage.class)})
public sealed interface MesosImage permits AppcImage, DockerImage {}
