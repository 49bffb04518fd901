#pragma once

// Certificates for HTTPS on a plant LAN (OpenSSL's C API; no Beast here). `--tls-self-signed` keeps a
// local CA (10 years) and a server certificate signed by it (at most 825 days, as iOS requires) under
// DATA/tls/, and renews only the server certificate when the host's names or addresses change or it is
// within 30 days of expiry. `--tls-cert/--tls-key` load given PEM files instead.

#include "core/clock.hpp"

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace safeloop::tls {

inline constexpr int kCaValidityDays = 3650;
inline constexpr int kServerValidityDays = 800;  // iOS refuses server certificates valid > 825 days
inline constexpr int kRenewBeforeDays = 30;

// The names a server certificate is for: DNS names and IP addresses (textual, normalised).
struct Hosts {
    std::set<std::string> dns;
    std::set<std::string> ips;
};

// localhost, 127.0.0.1, the host name and every non-loopback IPv4/IPv6 address of this host's
// interfaces, plus `extra` (each an IP address or a DNS name).
Hosts LocalHosts(const std::vector<std::string>& extra);
// Adds `name` to the IP set when it parses as an address (normalised), else to the DNS set.
void AddName(Hosts& hosts, const std::string& name);

struct KeyPair {
    std::string cert_pem;
    std::string key_pem;
};

KeyPair MakeCa(const std::string& common_name, TimePoint now, int days = kCaValidityDays);
KeyPair MakeServerCert(const KeyPair& ca, const Hosts& hosts, TimePoint now, int days = kServerValidityDays);

// What matters about an existing server certificate for the renewal decision.
struct CertInfo {
    Hosts hosts;  // from subjectAltName
    TimePoint not_before;
    TimePoint not_after;
    bool signed_by_ca = false;  // verifies against the current CA
};
// Throws std::runtime_error when `cert_pem` is not a certificate.
CertInfo ReadCertInfo(const std::string& cert_pem, const std::string& ca_pem);

// Why a new server certificate is needed, or "" to keep the current one. Pure.
std::string RenewalReason(const std::optional<CertInfo>& current, const Hosts& wanted, TimePoint now);

// "AB:CD:..." over the DER encoding of the first certificate in `pem`.
std::string Sha256Fingerprint(const std::string& pem);
std::string PemToDer(const std::string& pem);  // first certificate
std::string DerToPem(const std::string& der);
// The last certificate of a PEM chain (the root, or the highest one given).
std::string LastCertificate(const std::string& chain_pem);
// X509_verify_cert of the leaf against `ca_pem` as the only trust anchor, at the system time unless
// !check_time; "" when it verifies, else OpenSSL's reason.
std::string VerifyAgainst(const std::string& leaf_pem, const std::string& ca_pem, bool check_time = true);

// What the HTTPS listener needs, plus the CA a phone should install (empty when unknown).
struct Material {
    std::string chain_pem;
    std::string key_pem;
    std::string ca_pem;
};

// Creates or reuses DIR/ca.{crt,key} and DIR/server.{crt,key} (keys 0600, DIR 0700).
Material EnsureSelfSigned(const std::filesystem::path& dir, const std::string& ca_label,
                          const std::vector<std::string>& extra_names, TimePoint now);
// Reads and checks given files (the key must match the first certificate). The CA shown to phones is
// the chain's last certificate when the chain has more than one, else none.
Material LoadFiles(const std::filesystem::path& cert_file, const std::filesystem::path& key_file);

// Writes `content` to `path` through a temporary file and rename, with the given mode.
void WriteFileAtomic(const std::filesystem::path& path, const std::string& content, unsigned mode);
std::string ReadFile(const std::filesystem::path& path);

}  // namespace safeloop::tls
