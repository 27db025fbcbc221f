// Known-answer tests for every facade primitive, run against each backend.
#include "exposure/crypto.h"

#include <gtest/gtest.h>

#include <cstring>

#include "support/test_vectors.h"

namespace exposure::crypto {
namespace {

Bytes hex(const std::string& h) { return *from_hex(h); }

TEST(Crypto, LinksTheConfiguredBackend) { EXPECT_STREQ(backend_name(), EXPOSURE_EXPECTED_BACKEND); }

TEST(Crypto, HkdfRfc5869Case1) {
  Bytes okm(42);
  ASSERT_TRUE(hkdf_sha256(hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), hex("000102030405060708090a0b0c"),
                          hex("f0f1f2f3f4f5f6f7f8f9"), okm)
                  .ok());
  EXPECT_EQ(to_hex(okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

TEST(Crypto, HkdfRfc5869Case3EmptySaltAndInfo) {
  Bytes okm(42);
  ASSERT_TRUE(hkdf_sha256(hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), {}, {}, okm).ok());
  EXPECT_EQ(to_hex(okm),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

TEST(Crypto, AesEcbBatchesAgreeWithTheLibraryOnRandomKeys) {
  // Batches of any size, before and after rekey(), against AES-CTR with a zero plaintext
  // (the AES of each counter block, one at a time).
  for (size_t blocks : {1, 7, 15, 16, 17, 48, 144}) {
    uint8_t key[16];
    random_bytes(MutableByteView(key, 16));
    Aes128Ecb aes(key);
    for (int rekeyed = 0; rekeyed < 2; ++rekeyed) {
      if (rekeyed) {
        random_bytes(MutableByteView(key, 16));
        aes.rekey(key);
      }
      Bytes in(16 * blocks), out(16 * blocks);
      random_bytes(in);
      aes.encrypt_blocks(in.data(), out.data(), blocks);
      for (size_t b = 0; b < blocks; ++b) {
        Block128 counter;
        std::memcpy(counter.data(), in.data() + 16 * b, 16);
        uint8_t zeros[16] = {0}, expected[16];
        aes128_ctr(key, counter, ByteView(zeros, 16), expected);
        ASSERT_EQ(to_hex(ByteView(out.data() + 16 * b, 16)), to_hex(ByteView(expected, 16))) << blocks << " " << b;
      }
    }
  }
}

TEST(Crypto, ZeroSaltHkdf16MatchesGenericHkdfAndGaenVectors) {
  // The official GAEN vector: TEK -> RPIK with info "EN-RPIK".
  auto v = exposure::testing::load_official_vectors();
  const uint8_t rpik_info[] = {'E', 'N', '-', 'R', 'P', 'I', 'K'};
  ZeroSaltHkdf16 rpik_deriver(rpik_info);
  uint8_t out[16];
  rpik_deriver.derive(hex(v.tek).data(), out);
  EXPECT_EQ(to_hex(ByteView(out, 16)), v.rpik);
  // Random inputs and infos of every length up to the limit agree with the generic HKDF.
  for (size_t info_size : {0, 1, 7, 20, 46, 47, 54}) {
    Bytes info(info_size);
    random_bytes(info);
    ZeroSaltHkdf16 deriver(info);
    for (int i = 0; i < 10; ++i) {
      uint8_t ikm[16];
      random_bytes(MutableByteView(ikm, 16));
      Bytes expected(16);
      ASSERT_TRUE(hkdf_sha256(ByteView(ikm, 16), {}, info, expected).ok());
      deriver.derive(ikm, out);
      ASSERT_EQ(to_hex(ByteView(out, 16)), to_hex(expected)) << "info size " << info_size;
    }
    // Many at once (not a multiple of the four lanes) give the same keys one by one.
    Bytes ikms(16 * 11), outs(16 * 11);
    random_bytes(ikms);
    deriver.derive_many(ikms.data(), 11, outs.data());
    for (size_t k = 0; k < 11; ++k) {
      Bytes expected(16);
      ASSERT_TRUE(hkdf_sha256(ByteView(ikms.data() + 16 * k, 16), {}, info, expected).ok());
      ASSERT_EQ(to_hex(ByteView(outs.data() + 16 * k, 16)), to_hex(expected)) << k;
    }
  }
}

TEST(Crypto, HkdfRejectsOverlongOutput) {
  Bytes okm(255 * 32 + 1);
  EXPECT_FALSE(hkdf_sha256(hex("00"), {}, {}, okm).ok());
}

TEST(Crypto, Sha256AndIncremental) {
  EXPECT_EQ(to_hex(sha256(as_bytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 h;
  h.update(as_bytes("a"));
  h.update(as_bytes("bc"));
  EXPECT_EQ(h.finish(), sha256(as_bytes("abc")));
}

TEST(Crypto, HmacSha256Rfc4231Case2) {
  EXPECT_EQ(to_hex(hmac_sha256(as_bytes("Jefe"), as_bytes("what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Crypto, AesEcbFips197AndBatching) {
  Bytes key = hex("000102030405060708090a0b0c0d0e0f");
  Bytes block = hex("00112233445566778899aabbccddeeff");
  Bytes two(32);
  std::copy(block.begin(), block.end(), two.begin());
  std::copy(block.begin(), block.end(), two.begin() + 16);
  Aes128Ecb aes(key.data());
  aes.encrypt_blocks(two.data(), two.data(), 2);
  EXPECT_EQ(to_hex(two), "69c4e0d86a7b0430d8cdb78070b4c55a69c4e0d86a7b0430d8cdb78070b4c55a");
  Bytes other_key = hex("2b7e151628aed2a6abf7158809cf4f3c");
  aes.rekey(other_key.data());
  Bytes sp800 = hex("6bc1bee22e409f96e93d7e117393172a");
  aes.encrypt_blocks(sp800.data(), sp800.data(), 1);
  EXPECT_EQ(to_hex(sp800), "3ad77bb40d7a3660a89ecaf32466ef97");
}

TEST(Crypto, AesCtrSp800_38aF5) {
  Bytes key = hex("2b7e151628aed2a6abf7158809cf4f3c");
  Block128 iv;
  Bytes ivb = hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
  std::copy(ivb.begin(), ivb.end(), iv.begin());
  Bytes plain = hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
  Bytes out(plain.size());
  aes128_ctr(key.data(), iv, plain, out.data());
  EXPECT_EQ(to_hex(out), "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff");
}

// McGrew & Viega GCM test cases 13 (empty) and 16 (AES-256, 60-byte text, AAD).
TEST(Crypto, Aes256GcmKnownAnswersAndTamperDetection) {
  std::array<uint8_t, kGcmNonceSize> zero_nonce{};
  Bytes zero_key(32);
  EXPECT_EQ(to_hex(aes256_gcm_seal(zero_key.data(), zero_nonce, {}, {})), "530f8afbc74536b9a963b4f1c4cb738b");

  Bytes key = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
  std::array<uint8_t, kGcmNonceSize> nonce;
  Bytes nonce_bytes = hex("cafebabefacedbaddecaf888");
  std::copy(nonce_bytes.begin(), nonce_bytes.end(), nonce.begin());
  Bytes plain = hex(
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
  Bytes aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  Bytes sealed = aes256_gcm_seal(key.data(), nonce, plain, aad);
  EXPECT_EQ(to_hex(sealed),
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
            "76fc6ece0f4e1768cddf8853bb2d551b");
  auto opened = aes256_gcm_open(key.data(), nonce, sealed, aad);
  ASSERT_TRUE(opened.ok()) << opened.status().to_string();
  EXPECT_EQ(*opened, plain);

  Bytes tampered = sealed;
  tampered[3] ^= 1;
  EXPECT_EQ(aes256_gcm_open(key.data(), nonce, tampered, aad).status().code(), ErrorCode::kVerificationFailed);
  EXPECT_FALSE(aes256_gcm_open(key.data(), nonce, sealed, as_bytes("other aad")).ok());
  EXPECT_FALSE(aes256_gcm_open(zero_key.data(), nonce, sealed, aad).ok());
  EXPECT_FALSE(aes256_gcm_open(key.data(), nonce, Bytes(15), aad).ok());
}

TEST(Crypto, RandomBytesDiffer) {
  Bytes a(32), b(32);
  random_bytes(a);
  random_bytes(b);
  EXPECT_NE(a, b);
}

TEST(Ecdsa, ConformanceKeysParseFromPemAndBase64) {
  auto pem = testing::read_text_file(testing::data_path("server-example-2-keys.public.pem"));
  auto from_pem = EcPublicKey::parse(as_bytes(pem));
  ASSERT_TRUE(from_pem.ok()) << from_pem.status().to_string();
  auto from_b64 = EcPublicKey::parse(as_bytes(
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEml59itec9qzwVojreLXdPNRsUWzfYHc1cKvIIi6/H56AJS/kZEYQnfDpxrgyGhdAm+pNN2GAJ3XdnQZ1Sk4amg=="));
  ASSERT_TRUE(from_b64.ok()) << from_b64.status().to_string();
  EXPECT_EQ(from_pem->spki_der(), from_b64->spki_der());
  auto priv = EcPrivateKey::parse_pem(testing::read_text_file(testing::data_path("server-example-2-keys.private.pem")));
  ASSERT_TRUE(priv.ok()) << priv.status().to_string();
  EXPECT_EQ(priv->public_key().spki_der(), from_pem->spki_der());
}

TEST(Ecdsa, SignVerifyAndRejectTampering) {
  auto key = EcPrivateKey::generate();
  auto pub = key.public_key();
  Bytes msg = {1, 2, 3, 4};
  Bytes sig = key.sign_sha256(msg);
  EXPECT_TRUE(pub.verify_sha256(msg, sig));
  msg[0] ^= 1;
  EXPECT_FALSE(pub.verify_sha256(msg, sig));
  EXPECT_FALSE(EcPrivateKey::generate().public_key().verify_sha256(Bytes{1, 2, 3, 4}, sig));
  EXPECT_FALSE(pub.verify_sha256(msg, Bytes{0x30, 0x00}));
}

TEST(Ecdsa, PemRoundTripsAndRawDerConversion) {
  auto key = EcPrivateKey::generate();
  auto again = EcPrivateKey::parse_pem(key.pem());
  ASSERT_TRUE(again.ok());
  auto pub = EcPublicKey::parse(as_bytes(key.public_key().pem()));
  ASSERT_TRUE(pub.ok());
  Bytes sig = again->sign_sha256(as_bytes("jwt"));
  auto raw = ecdsa_der_to_raw(sig);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->size(), 64u);
  auto der = ecdsa_raw_to_der(*raw);
  ASSERT_TRUE(der.ok());
  EXPECT_TRUE(pub->verify_sha256(as_bytes("jwt"), *der));
  EXPECT_FALSE(ecdsa_raw_to_der(Bytes(63)).ok());
  EXPECT_FALSE(ecdsa_der_to_raw(Bytes{0x30, 0x01, 0x00}).ok());
}

TEST(Ecdsa, RejectsGarbage) {
  EXPECT_FALSE(EcPublicKey::parse(as_bytes("not a key")).ok());
  EXPECT_FALSE(EcPrivateKey::parse_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").ok());
  EXPECT_FALSE(EcPublicKey::parse(Bytes{0x30, 0x03, 0x02, 0x01, 0x00}).ok());
}

}  // namespace
}  // namespace exposure::crypto
