package io.nixaurora.submit.http;

import io.nixaurora.tck.FactoryContract;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

/** The http submitter's factory keeps the tck's factory contract. */
class HttpSubmitterFactoryContractTest extends FactoryContract {

  @Override
  protected Factory factory() {
    return Factory.of(new HttpSubmitterFactory());
  }

  @Override
  protected Map<String, String> workingSettings(Path dir) throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort(); // doctor's GET is refused at once
    }
    return Map.of("scheduler_uri", "http://127.0.0.1:" + closed + "/");
  }
}
