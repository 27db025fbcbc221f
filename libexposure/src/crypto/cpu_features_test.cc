// BoringSSL runs its assembly, and on 64-bit ARM its ARMv8 AES, PMULL and SHA-1/SHA-256
// code: BoringSSL picks an implementation per primitive at run time from the CPU's features
// (on Linux, getauxval(AT_HWCAP)), recorded in OPENSSL_armcap_P, and uses the hardware AES
// and SHA code exactly when these bits are set. Under qemu-aarch64 (`-cpu max`, see
// cmake/aarch64-linux-gnu.cmake) the emulated CPU has all of them.
#include <gtest/gtest.h>
#include <openssl/crypto.h>

#include <cstdint>
#include <iostream>

#if defined(__aarch64__)
#include <openssl/arm_arch.h>

// Exported by libcrypto for BoringSSL's own tests; not in its public headers.
extern "C" uint32_t* OPENSSL_get_armcap_pointer_for_test(void);
#endif

namespace {

TEST(CryptoCpu, BoringSslUsesItsAssembly) { EXPECT_EQ(CRYPTO_has_asm(), 1); }

#if defined(__aarch64__)
TEST(CryptoCpu, BoringSslUsesTheArmv8CryptoInstructions) {
  CRYPTO_library_init();  // runs the CPU detection if no static initialiser did
  uint32_t armcap = *OPENSSL_get_armcap_pointer_for_test();
  std::cout << "OPENSSL_armcap_P: 0x" << std::hex << armcap << std::dec << " (AES "
            << ((armcap & ARMV8_AES) != 0) << ", PMULL " << ((armcap & ARMV8_PMULL) != 0)
            << ", SHA-1 " << ((armcap & ARMV8_SHA1) != 0) << ", SHA-256 "
            << ((armcap & ARMV8_SHA256) != 0) << ")\n";
  EXPECT_NE(armcap & ARMV7_NEON, 0u);
  EXPECT_NE(armcap & ARMV8_AES, 0u);
  EXPECT_NE(armcap & ARMV8_PMULL, 0u);
  EXPECT_NE(armcap & ARMV8_SHA1, 0u);
  EXPECT_NE(armcap & ARMV8_SHA256, 0u);
}
#endif

}  // namespace
