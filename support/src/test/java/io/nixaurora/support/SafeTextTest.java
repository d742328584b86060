package io.nixaurora.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SafeTextTest {

  @Test
  void controlCharactersAreEscapedAndTextKept() {
    assertEquals(
        "\\e]0;pwned\\x07 and \\e[2Kfake\\r line\nnext\tcol",
        SafeText.escape("\u001b]0;pwned\u0007 and \u001b[2Kfake\r line\nnext\tcol"));
    assertEquals("plain ü €", SafeText.escape("plain ü €"));
    assertEquals("\\u{009b}31m", SafeText.escape("\u009b31m"));
  }

  @Test
  void longTextIsCut() {
    assertEquals("abcd…", SafeText.cut("abcdefgh", 5));
    assertEquals("abc", SafeText.cut("abc", 5));
  }

  @Test
  void passwordsInUrlsAreMasked() {
    assertEquals("http://user:***@host:81/x", Urls.shown(URI.create("http://user:pw@host:81/x")));
    assertEquals("http://host/x", Urls.shown(URI.create("http://host/x")));
    assertEquals(
        "cache url 'https://u:***@h/c?compression=xz': bad",
        Urls.shown("cache url 'https://u:p@ss@h/c?compression=xz': bad".replace("p@ss", "pss")));
  }
}
