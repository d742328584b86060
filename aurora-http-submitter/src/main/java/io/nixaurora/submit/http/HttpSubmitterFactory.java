package io.nixaurora.submit.http;

import io.nixaurora.api.Submitter;
import io.nixaurora.api.SubmitterFactory;
import io.nixaurora.api.event.EventListener;
import java.util.Map;
import javax.inject.Inject;

/** Makes {@link HttpSubmitter}s from the cluster's {@code submitter_settings}. */
public final class HttpSubmitterFactory implements SubmitterFactory {

  @Inject
  public HttpSubmitterFactory() {}

  @Override
  public String name() {
    return "http";
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException naming the key of a bad setting
   */
  @Override
  public Submitter create(Map<String, String> settings) {
    return new HttpSubmitter(HttpSubmitterSettings.parse(settings));
  }

  /** A submitter whose retries and warnings reach {@code events} (the console). */
  @Override
  public Submitter create(Map<String, String> settings, EventListener events) {
    return new HttpSubmitter(HttpSubmitterSettings.parse(settings), events);
  }
}
