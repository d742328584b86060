package io.nixaurora.nix.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nixaurora.api.StorePath;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The formats against the vectors of docs/nix-binary-cache-spec.md (verified there with Nix 2.8).
 */
class FormatTest {

  static final String SECRET =
      "test-cache-1:rolM26udAUIFH9dIrhWN+ilNrE0wTEdLyR3H8Ko1HhlfK4JVaUjtSgZh35+H7rQk7BZe6SW/8cgGLvZG3F2Jfw==";
  static final String PUBLIC = "test-cache-1:XyuCVWlI7UoGYd+fh+60JOwWXuklv/HIBi72RtxdiX8=";

  @Test
  void base32Vectors() {
    HexFormat hex = HexFormat.of();
    assertEquals(
        "0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73",
        NixBase32.encode(
            hex.parseHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")));
    assertEquals(
        "134j578k38hlq6frl9rfykngw79k3krmqxaf78rl3spbkmyzjgyq",
        NixBase32.encode(
            hex.parseHex("d83ff97d9debea41333a4e755cf31c331dfeecf42e279a9dc114a231d129928c")));
    assertEquals("01", NixBase32.encode(new byte[] {1}));
    assertEquals("7z", NixBase32.encode(new byte[] {(byte) 0xff}));
    assertEquals("0l2060h1", NixBase32.encode(new byte[] {1, 2, 3, 4, 5}));
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, NixBase32.decode("0l2060h1", 5));
    assertArrayEquals(
        hex.parseHex("d83ff97d9debea41333a4e755cf31c331dfeecf42e279a9dc114a231d129928c"),
        NixBase32.decode("134j578k38hlq6frl9rfykngw79k3krmqxaf78rl3spbkmyzjgyq", 32));
    assertThrows(IllegalArgumentException.class, () -> NixBase32.decode("0e", 1));
    assertThrows(IllegalArgumentException.class, () -> NixBase32.decode("zz", 1));
  }

  @Test
  void hashFormsAllParse() {
    NixHash b32 = NixHash.parse("sha256:0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73");
    assertEquals(b32, NixHash.parse("sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="));
    assertEquals(
        b32,
        NixHash.parse("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    assertEquals("sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", b32.sri());
    assertThrows(IllegalArgumentException.class, () -> NixHash.parse("md5:abc"));
  }

  @Test
  void signatureTestVector() {
    SigningKey key = SigningKey.parse(SECRET);
    assertEquals(PUBLIC, key.publicKey().toString());
    String fp =
        "1;/nix/store/dz3mh8c5k6jmf3b8v409v8mn3d2mdpba-bar.txt;sha256:1rr9wai1fxl320iz0z0jpjr9ys38bd9hcy7rmcn60q67wv92snhb;168;/nix/store/xic4vgsnnq76zgrn23ij8hn10kcccxfb-t1";
    assertEquals(
        "test-cache-1:3yx3cpBmUneVnaJ3NRMhzu5sqadzirdGLHfox9KMRYnK5PZWHs8Auhgp4Tjqtr76OOmLOU/phESA89Uh6dtpDg==",
        key.sign(fp));
    String empty =
        "1;/nix/store/9pf9w8aq4fbl4m4wivdjb6v9vm46fifb-dep-lib;sha256:0pkpjjzckhcr310fc8y71j958fyj07afnxd8cpj62k0b9djxp637;7736;";
    String sig =
        "test-cache-1:os1WTAAi/XS04FGK/HxURGu0wkHDyODSBWIe/EDe+IYRrAiVq2U120JqPEXbIPDUCBDkpF16vCPnRg57n/KhAQ==";
    assertEquals(sig, key.sign(empty));
    PublicKey pub = PublicKey.parse(PUBLIC);
    assertTrue(pub.verifies(empty, sig));
    assertFalse(pub.verifies(empty.substring(0, empty.length() - 1), sig));
    assertFalse(PublicKey.parse("other:" + PUBLIC.split(":")[1]).verifies(empty, sig));
    assertEquals(SECRET, key.secretKeyText());
    // A secret file whose public half is not its seed's is refused.
    byte[] raw = java.util.Base64.getDecoder().decode(SECRET.split(":")[1]);
    raw[63] ^= 1;
    String broken = "test-cache-1:" + java.util.Base64.getEncoder().encodeToString(raw);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SigningKey.parse(broken));
    assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    // Another key's public half (a valid point, so only the check of the pair can tell).
    byte[] other =
        java.util.Base64.getDecoder().decode(SigningKey.generate("x").secretKeyText().substring(2));
    byte[] swapped = java.util.Base64.getDecoder().decode(SECRET.split(":")[1]);
    System.arraycopy(other, 32, swapped, 32, 32);
    String mixed = "test-cache-1:" + java.util.Base64.getEncoder().encodeToString(swapped);
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> SigningKey.parse(mixed))
            .getMessage()
            .contains("does not match"));
    assertFalse(key.toString().contains(SECRET.split(":")[1]));
  }

  /**
   * Signing and checking use BouncyCastle's Ed25519; the JDK's must agree both ways (random keys
   * and messages), and a changed message, signature or key must not verify.
   */
  @Test
  void signaturesAgreeWithTheJdksEd25519() throws Exception {
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 20; i++) {
      SigningKey key = SigningKey.generate("k-" + i);
      byte[] raw = new byte[1 + random.nextInt(300)];
      random.nextBytes(raw);
      String fp = "1;/nix/store/" + java.util.HexFormat.of().formatHex(raw);
      String ours = key.sign(fp);
      byte[] sig = java.util.Base64.getDecoder().decode(ours.substring(ours.indexOf(':') + 1));
      // The JDK, given the same seed, produces the same (deterministic) signature.
      byte[] seed =
          java.util.Arrays.copyOfRange(
              java.util.Base64.getDecoder()
                  .decode(key.secretKeyText().substring(key.secretKeyText().indexOf(':') + 1)),
              0,
              32);
      java.security.Signature jdk = java.security.Signature.getInstance("Ed25519");
      jdk.initSign(
          java.security.KeyFactory.getInstance("Ed25519")
              .generatePrivate(
                  new java.security.spec.EdECPrivateKeySpec(
                      java.security.spec.NamedParameterSpec.ED25519, seed)));
      jdk.update(fp.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertArrayEquals(jdk.sign(), sig);
      PublicKey pub = key.publicKey();
      // The public half the JDK generated is the one derived from the seed when the key is read.
      assertEquals(pub, SigningKey.parse(key.secretKeyText()).publicKey());
      assertTrue(pub.verifies(fp, ours));
      assertFalse(pub.verifies(fp + "x", ours));
      sig[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
      assertFalse(
          pub.verifies(fp, key.name() + ":" + java.util.Base64.getEncoder().encodeToString(sig)));
      assertFalse(SigningKey.generate(key.name()).publicKey().verifies(fp, ours));
    }
  }

  @Test
  void fingerprintOfNarInfoMatchesSpec() {
    NarInfo info =
        new NarInfo(
            StorePath.of("/nix/store/dz3mh8c5k6jmf3b8v409v8mn3d2mdpba-bar.txt"),
            "nar/x.nar",
            "none",
            Optional.empty(),
            -1,
            NixHash.parse("sha256:1rr9wai1fxl320iz0z0jpjr9ys38bd9hcy7rmcn60q67wv92snhb"),
            168,
            List.of(StorePath.of("/nix/store/xic4vgsnnq76zgrn23ij8hn10kcccxfb-t1")),
            Optional.empty(),
            List.of(),
            Optional.empty());
    NarInfo signed = info.signedWith(SigningKey.parse(SECRET));
    assertEquals(
        List.of(
            "test-cache-1:3yx3cpBmUneVnaJ3NRMhzu5sqadzirdGLHfox9KMRYnK5PZWHs8Auhgp4Tjqtr76OOmLOU/phESA89Uh6dtpDg=="),
        signed.signatures());
    assertTrue(signed.isSignedBy(PublicKey.parse(PUBLIC)));
  }

  @Test
  void narInfoTextIsNixsOrderAndRoundTrips() {
    NarInfo info =
        new NarInfo(
            StorePath.of("/nix/store/2akzh87sgc26ki9lpxrmx9y6g5ijqy9k-app-1.0"),
            "nar/0rx9k5ivwv14mz7dygz1m8k5k4svz5c4ywzp13i0jkglk1kdi1py.nar.xz",
            "xz",
            Optional.of(
                NixHash.parse("sha256:0rx9k5ivwv14mz7dygz1m8k5k4svz5c4ywzp13i0jkglk1kdi1py")),
            280,
            NixHash.parse("sha256:1ajmj85px64izcndnb9qqilz3d0y8hq6avazknllgbvmv1z5raw5"),
            792,
            List.of(StorePath.of("/nix/store/9pf9w8aq4fbl4m4wivdjb6v9vm46fifb-dep-lib")),
            Optional.of(StorePath.of("/nix/store/l63i04wx6hbc68558bryj71b5y1a39aj-app-1.0.drv")),
            List.of(
                "test-cache-1:YSL+AjkVcX5l5W/ybB1xgidJB6h4DzLHnqfW0y52mQdePi/LM7Cbv9kcbEEksEScgsbGoRLxKA/x6aM4pfqIBg=="),
            Optional.empty());
    String expected =
        "StorePath: /nix/store/2akzh87sgc26ki9lpxrmx9y6g5ijqy9k-app-1.0\n"
            + "URL: nar/0rx9k5ivwv14mz7dygz1m8k5k4svz5c4ywzp13i0jkglk1kdi1py.nar.xz\n"
            + "Compression: xz\n"
            + "FileHash: sha256:0rx9k5ivwv14mz7dygz1m8k5k4svz5c4ywzp13i0jkglk1kdi1py\n"
            + "FileSize: 280\n"
            + "NarHash: sha256:1ajmj85px64izcndnb9qqilz3d0y8hq6avazknllgbvmv1z5raw5\n"
            + "NarSize: 792\n"
            + "References: 9pf9w8aq4fbl4m4wivdjb6v9vm46fifb-dep-lib\n"
            + "Deriver: l63i04wx6hbc68558bryj71b5y1a39aj-app-1.0.drv\n"
            + "Sig: test-cache-1:YSL+AjkVcX5l5W/ybB1xgidJB6h4DzLHnqfW0y52mQdePi/LM7Cbv9kcbEEksEScgsbGoRLxKA/x6aM4pfqIBg==\n";
    assertEquals(expected, info.toText());
    assertEquals(info, NarInfo.parse(expected, "x"));
    // The spec's narinfo was signed by Nix with the test key.
    assertTrue(info.isSignedBy(PublicKey.parse(PUBLIC)));
    assertThrows(
        IllegalArgumentException.class,
        () -> NarInfo.parse(expected.substring(0, expected.length() - 1), "x"));
    String noRefs =
        expected.replace("References: 9pf9w8aq4fbl4m4wivdjb6v9vm46fifb-dep-lib", "References: ");
    assertTrue(NarInfo.parse(noRefs, "x").references().isEmpty());
    assertTrue(NarInfo.parse(noRefs, "x").toText().contains("\nReferences: \n"));
  }

  @Test
  void narMatchesSpecHexExample(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("hello.txt");
    Files.writeString(f, "hello world\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(128, NarWriter.write(f, out));
    byte[] nar = out.toByteArray();
    assertEquals(
        "34ca3ac63094d1d5751f741101692a78f95eedf10744b088129fc324dfd0f603",
        HexFormat.of().formatHex(NixHash.newDigest().digest(nar)));
  }

  @Test
  void keygenFilesLookLikeNixs(@TempDir Path dir) throws Exception {
    SigningKey key = SigningKey.generate("host-1");
    Path sk = dir.resolve("sk");
    Path pk = dir.resolve("pk");
    key.writeFiles(sk, pk);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sk)));
    assertEquals(key.publicKey().toString(), Files.readString(pk));
    assertEquals(7 + 44, Files.size(pk)); // "host-1:" + 44 base64 chars, no newline
    SigningKey back = SigningKey.read(sk);
    assertEquals(key.publicKey(), back.publicKey());
    assertTrue(back.publicKey().verifies("x", key.sign("x")));
    assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> key.writeFiles(sk, pk));
    // A damaged file is refused with the file's name and no secret in the message.
    Files.writeString(dir.resolve("bad"), "host-1:AAAA");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SigningKey.read(dir.resolve("bad")));
    assertTrue(e.getMessage().contains("bad"), e.getMessage());
    assertFalse(e.getMessage().contains("AAAA"));
  }

  @Test
  void fileTargetRemovesOnlyStaleTemporaries(@TempDir Path dir) throws Exception {
    Path nar = Files.createDirectories(dir.resolve("nar"));
    Path old = Files.writeString(nar.resolve(".nar-1.tmp"), "left by a killed push");
    Path fresh = Files.writeString(nar.resolve(".nar-2.tmp"), "a running push");
    Files.setLastModifiedTime(
        old,
        java.nio.file.attribute.FileTime.from(
            java.time.Instant.now().minus(java.time.Duration.ofDays(2))));
    try (FileTarget t = FileTarget.open(CacheUrl.parse("file://" + dir))) {
      assertTrue(t.removeStaleTemporaries().startsWith("removed 1 temporary file(s)"));
    }
    assertFalse(Files.exists(old));
    assertTrue(Files.exists(fresh));
  }

  @Test
  void cacheUrls() {
    CacheUrl f = CacheUrl.parse("file:///tmp/c/?compression=xz&secret-key=/k/sk");
    assertTrue(f.isFile());
    assertEquals(Path.of("/tmp/c"), f.directory());
    assertEquals(Optional.of(Compression.XZ), f.compression());
    assertEquals(Optional.of(Path.of("/k/sk")), f.secretKeyFile());
    assertEquals("file:///tmp/c", f.substituterUrl());
    CacheUrl h = CacheUrl.parse("https://u:p@cache.example:8443/prefix/?compression=none");
    assertEquals("https://cache.example:8443/prefix", h.substituterUrl());
    assertFalse(h.toString().contains("p@"));
    CacheUrl s3 =
        CacheUrl.parse(
            "s3://nix-cache/x/y?region=eu-west-1&endpoint=minio.local:9000&scheme=http"
                + "&profile=p&compression=xz");
    assertEquals("nix-cache", s3.bucket());
    assertEquals("x/y/", s3.s3Prefix());
    assertEquals("eu-west-1", s3.s3Region());
    assertEquals(Optional.of("p"), s3.s3Profile());
    assertEquals(Optional.of(Compression.XZ), s3.compression());
    assertEquals(java.net.URI.create("http://minio.local:9000"), s3.s3Endpoint().orElseThrow());
    assertEquals("http://minio.local:9000/nix-cache/x/y", s3.substituterUrl());
    assertEquals(
        "s3://nix-cache?region=eu-west-1&endpoint=minio.local%3A9000&scheme=http", s3.nixS3Url());
    assertEquals("s3://nix-cache/x/y", s3.toString());
    CacheUrl aws = CacheUrl.parse("s3://bucket");
    assertEquals("us-east-1", aws.s3Region());
    assertEquals("", aws.s3Prefix());
    assertEquals("https://bucket.s3.us-east-1.amazonaws.com", aws.substituterUrl());
    assertThrows(IllegalArgumentException.class, () -> CacheUrl.parse("s3://b?scheme=ftp"));
    assertThrows(IllegalArgumentException.class, () -> CacheUrl.parse("s3://b?acl=everyone"));
    assertThrows(IllegalArgumentException.class, () -> CacheUrl.parse("s3://u:secret@b"));
    assertThrows(IllegalArgumentException.class, () -> CacheUrl.parse("ftp://bucket"));
    assertThrows(IllegalArgumentException.class, () -> CacheUrl.parse("file://relative"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> CacheUrl.parse("file:///c?compression=br"));
    assertTrue(e.getMessage().contains("compression"));
  }

  @Test
  void netrc(@TempDir Path dir) throws Exception {
    Path n = dir.resolve("netrc");
    Files.writeString(
        n, "machine other login a password b\nmachine cache.example\n login u\n password s3cret\n");
    Credentials c = Credentials.fromNetrc(n, "cache.example").orElseThrow();
    assertEquals("u", c.login());
    assertFalse(c.toString().contains("s3cret"));
    assertEquals(
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString("u:s3cret".getBytes(StandardCharsets.UTF_8)),
        c.basicAuthorization());
    assertTrue(Credentials.fromNetrc(n, "nothere").isEmpty());
  }
}
