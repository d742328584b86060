package io.nixaurora.submit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dagger.Component;
import io.nixaurora.api.Submitter;
import io.nixaurora.api.SubmitterFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpSubmitterModuleTest {

  @Component(modules = HttpSubmitterModule.class)
  interface Submitters {
    Map<String, SubmitterFactory> factories();
  }

  @Test
  void theModuleBindsTheFactoryAsHttp() {
    Map<String, SubmitterFactory> factories =
        DaggerHttpSubmitterModuleTest_Submitters.create().factories();

    assertEquals(java.util.Set.of("http"), factories.keySet());
    SubmitterFactory factory = factories.get("http");
    assertEquals("http", factory.name());
    Submitter submitter =
        factory.create(
            Map.of(
                "scheduler_uri",
                "http://127.0.0.1:1/",
                "password",
                "pw",
                "username",
                "u",
                "other_backend_key",
                "x"));
    assertInstanceOf(HttpSubmitter.class, submitter);
    assertEquals("http", submitter.name());
    assertFalse(submitter.toString().contains("pw,"), submitter.toString());
  }

  @Test
  void aBadSettingIsRefusedNamingTheKey() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new HttpSubmitterFactory().create(Map.of("connect_timeout_seconds", "-1")));
    assertTrue(e.getMessage().contains("connect_timeout_seconds"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new HttpSubmitterFactory().create(Map.of("username", "u")));
    assertTrue(e.getMessage().contains("password"), e.getMessage());
  }
}
