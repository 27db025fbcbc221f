// exposure keygen: a P-256 key pair for signing export files. The private key is written
// as PKCS#8 PEM readable by its owner only; the public key as SubjectPublicKeyInfo PEM,
// the form apps configure.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "commands.h"
#include "exposure/crypto.h"
#include "exposure/secure.h"

namespace exposure::cli {
namespace {

// Creates `path` (which must not exist yet) with `mode` and writes `text`.
bool write_new_file(const std::string& path, const std::string& text, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, mode);
  if (fd < 0) {
    print_error(path + ": " + std::strerror(errno));
    return false;
  }
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) {
      print_error(path + ": " + std::strerror(errno));
      ::close(fd);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return ::close(fd) == 0;
}

}  // namespace

Command add_keygen_command(CLI::App& app) {
  struct Options {
    std::string private_path;
    std::string public_path;
  };
  auto options = std::make_shared<Options>();
  CLI::App* sub =
      app.add_subcommand("keygen", "Generate a P-256 key pair for signing export files");
  sub->add_option("--private", options->private_path, "Private key PEM to create (mode 0600)")
      ->required();
  sub->add_option("--public", options->public_path, "Public key PEM to create")->required();

  return {sub, [options] {
            if (options->private_path == options->public_path) {
              throw CLI::ValidationError("--public", "must differ from --private");
            }
            crypto::EcPrivateKey key = crypto::EcPrivateKey::generate();
            std::string private_pem = key.pem();
            bool ok = write_new_file(options->private_path, private_pem, S_IRUSR | S_IWUSR);
            secure_wipe(private_pem.data(), private_pem.size());
            if (!ok) return kExitFailure;
            if (!write_new_file(options->public_path, key.public_key().pem(), 0644)) {
              ::unlink(options->private_path.c_str());
              return kExitFailure;
            }
            return kExitOk;
          }};
}

}  // namespace exposure::cli
