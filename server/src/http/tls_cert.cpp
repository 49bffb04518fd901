#include "http/tls_cert.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace safeloop::tls {

namespace {

template <typename T, void (*F)(T*)>
struct Deleter {
    void operator()(T* p) const { F(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX, X509_STORE_CTX_free>>;

[[noreturn]] void Fail(const std::string& what) {
    unsigned long code = ERR_get_error();
    char buf[256] = {0};
    if (code != 0) ERR_error_string_n(code, buf, sizeof buf);
    ERR_clear_error();
    throw std::runtime_error("tls: " + what + (code != 0 ? std::string(": ") + buf : std::string()));
}

BioPtr MemBio(const std::string& text) {
    BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    if (!bio) Fail("BIO_new_mem_buf");
    return bio;
}

std::string BioText(BIO* bio) {
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<size_t>(n));
}

X509Ptr ParseCert(const std::string& pem) {
    auto bio = MemBio(pem);
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) Fail("not a PEM certificate");
    return cert;
}

KeyPtr ParseKey(const std::string& pem) {
    auto bio = MemBio(pem);
    KeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key) Fail("not a PEM private key");
    return key;
}

std::string CertPem(X509* cert) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) Fail("PEM_write_bio_X509");
    return BioText(bio.get());
}

std::string KeyPem(EVP_PKEY* key) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        Fail("PEM_write_bio_PrivateKey");
    }
    return BioText(bio.get());
}

// ECDSA P-256: accepted by Android, iOS and every browser; quick to generate.
KeyPtr NewKey() {
    KeyPtr key(EVP_EC_gen("P-256"));
    if (!key) Fail("EVP_EC_gen");
    return key;
}

void SetRandomSerial(X509* cert) {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1) Fail("RAND_bytes");
    bytes[0] &= 0x7f;  // positive
    bytes[0] |= 0x01;  // and not shortened to fewer bytes
    std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>> bn(BN_bin2bn(bytes, sizeof bytes, nullptr));
    if (!bn || BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) == nullptr) Fail("serial");
}

void SetValidity(X509* cert, TimePoint now, int days) {
    time_t start = std::chrono::system_clock::to_time_t(now) - 3600;  // an hour back for skewed phone clocks
    if (X509_time_adj_ex(X509_getm_notBefore(cert), 0, 0, &start) == nullptr) Fail("notBefore");
    time_t from = std::chrono::system_clock::to_time_t(now);
    if (X509_time_adj_ex(X509_getm_notAfter(cert), days, 0, &from) == nullptr) Fail("notAfter");
}

void AddExt(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
    if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) Fail(fmt::format("extension {}={}", OBJ_nid2sn(nid), value));
}

void SetName(X509_NAME* name, const std::string& cn) {
    auto add = [name](const char* field, const std::string& value) {
        if (X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                       reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0) != 1) {
            Fail(std::string("name field ") + field);
        }
    };
    add("O", "SafeLoop");
    add("CN", cn);
}

TimePoint FromAsn1(const ASN1_TIME* t) {
    struct tm tm {};
    if (ASN1_TIME_to_tm(t, &tm) != 1) Fail("certificate time");
    return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::from_time_t(timegm(&tm)));
}

std::string NormaliseIp(const std::string& text) {
    in6_addr v6{};
    in_addr v4{};
    char buf[INET6_ADDRSTRLEN] = {0};
    std::string bare = text.substr(0, text.find('%'));  // drop an IPv6 zone id
    if (inet_pton(AF_INET, bare.c_str(), &v4) == 1) return inet_ntop(AF_INET, &v4, buf, sizeof buf);
    if (inet_pton(AF_INET6, bare.c_str(), &v6) == 1) return inet_ntop(AF_INET6, &v6, buf, sizeof buf);
    return "";
}

std::string SanValue(const Hosts& hosts) {
    std::string out;
    for (const auto& d : hosts.dns) out += (out.empty() ? "" : ",") + std::string("DNS:") + d;
    for (const auto& ip : hosts.ips) out += (out.empty() ? "" : ",") + std::string("IP:") + ip;
    return out;
}

bool ValidDnsName(const std::string& name) {
    if (name.empty() || name.size() > 253) return false;
    return std::ranges::all_of(
        name, [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '*'; });
}

}  // namespace

void AddName(Hosts& hosts, const std::string& name) {
    if (name.empty()) return;
    if (auto ip = NormaliseIp(name); !ip.empty()) {
        hosts.ips.insert(ip);
    } else if (ValidDnsName(name)) {
        std::string lower = name;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        hosts.dns.insert(lower);
    } else {
        throw std::runtime_error("tls: not a host name or IP address: " + name);
    }
}

Hosts LocalHosts(const std::vector<std::string>& extra) {
    Hosts hosts;
    AddName(hosts, "localhost");
    AddName(hosts, "127.0.0.1");
    char name[256] = {0};
    if (gethostname(name, sizeof name - 1) == 0 && ValidDnsName(name)) AddName(hosts, name);
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) == 0) {
        for (ifaddrs* a = list; a != nullptr; a = a->ifa_next) {
            if (a->ifa_addr == nullptr) continue;
            char buf[INET6_ADDRSTRLEN] = {0};
            if (a->ifa_addr->sa_family == AF_INET) {
                const auto* sin = reinterpret_cast<const sockaddr_in*>(a->ifa_addr);
                if ((ntohl(sin->sin_addr.s_addr) >> 24) == 127) continue;
                inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof buf);
            } else if (a->ifa_addr->sa_family == AF_INET6) {
                const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(a->ifa_addr);
                if (IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr)) continue;
                inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof buf);
            } else {
                continue;
            }
            AddName(hosts, buf);
        }
        freeifaddrs(list);
    }
    for (const auto& e : extra) AddName(hosts, e);
    return hosts;
}

KeyPair MakeCa(const std::string& common_name, TimePoint now, int days) {
    auto key = NewKey();
    X509Ptr cert(X509_new());
    if (!cert) Fail("X509_new");
    X509_set_version(cert.get(), X509_VERSION_3);
    SetRandomSerial(cert.get());
    SetValidity(cert.get(), now, days);
    SetName(X509_get_subject_name(cert.get()), common_name);
    X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
    X509_set_pubkey(cert.get(), key.get());
    AddExt(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
    AddExt(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    AddExt(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) Fail("X509_sign (CA)");
    return {CertPem(cert.get()), KeyPem(key.get())};
}

KeyPair MakeServerCert(const KeyPair& ca, const Hosts& hosts, TimePoint now, int days) {
    auto ca_cert = ParseCert(ca.cert_pem);
    auto ca_key = ParseKey(ca.key_pem);
    auto key = NewKey();
    X509Ptr cert(X509_new());
    if (!cert) Fail("X509_new");
    X509_set_version(cert.get(), X509_VERSION_3);
    SetRandomSerial(cert.get());
    SetValidity(cert.get(), now, days);
    std::string cn = !hosts.dns.empty() ? *hosts.dns.begin() : "localhost";
    for (const auto& d : hosts.dns) {
        if (d != "localhost") {
            cn = d;
            break;
        }
    }
    SetName(X509_get_subject_name(cert.get()), cn);
    X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get()));
    X509_set_pubkey(cert.get(), key.get());
    AddExt(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE");
    AddExt(cert.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature");
    AddExt(cert.get(), ca_cert.get(), NID_ext_key_usage, "serverAuth");
    AddExt(cert.get(), ca_cert.get(), NID_subject_key_identifier, "hash");
    AddExt(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always");
    AddExt(cert.get(), ca_cert.get(), NID_subject_alt_name, SanValue(hosts));
    if (X509_sign(cert.get(), ca_key.get(), EVP_sha256()) == 0) Fail("X509_sign (server)");
    return {CertPem(cert.get()), KeyPem(key.get())};
}

std::string VerifyAgainst(const std::string& leaf_pem, const std::string& ca_pem, bool check_time) {
    auto leaf = ParseCert(leaf_pem);
    auto ca = ParseCert(ca_pem);
    StorePtr store(X509_STORE_new());
    StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!store || !ctx || X509_STORE_add_cert(store.get(), ca.get()) != 1) Fail("X509_STORE");
    if (X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), nullptr) != 1) Fail("X509_STORE_CTX_init");
    if (!check_time) X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_NO_CHECK_TIME);
    if (X509_verify_cert(ctx.get()) == 1) return "";
    return X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
}

CertInfo ReadCertInfo(const std::string& cert_pem, const std::string& ca_pem) {
    auto cert = ParseCert(cert_pem);
    CertInfo info;
    info.not_before = FromAsn1(X509_get0_notBefore(cert.get()));
    info.not_after = FromAsn1(X509_get0_notAfter(cert.get()));
    auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr));
    if (names != nullptr) {
        for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
            const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
            if (n->type == GEN_DNS) {
                const ASN1_IA5STRING* s = n->d.dNSName;
                info.hosts.dns.insert(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                                  static_cast<size_t>(ASN1_STRING_length(s))));
            } else if (n->type == GEN_IPADD) {
                const ASN1_OCTET_STRING* s = n->d.iPAddress;
                char buf[INET6_ADDRSTRLEN] = {0};
                int len = ASN1_STRING_length(s);
                if (len == 4 || len == 16) {
                    inet_ntop(len == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(s), buf, sizeof buf);
                    info.hosts.ips.insert(buf);
                }
            }
        }
        GENERAL_NAMES_free(names);
    }
    info.signed_by_ca = !ca_pem.empty() && VerifyAgainst(cert_pem, ca_pem, false).empty();
    return info;
}

std::string RenewalReason(const std::optional<CertInfo>& current, const Hosts& wanted, TimePoint now) {
    if (!current) return "no server certificate yet";
    if (!current->signed_by_ca) return "not signed by the current CA";
    if (current->hosts.dns != wanted.dns || current->hosts.ips != wanted.ips) return "host names or addresses changed";
    if (current->not_after - now < std::chrono::days(kRenewBeforeDays)) return "expires within 30 days";
    if (current->not_before > now) return "not valid yet (clock moved back)";
    return "";
}

std::string PemToDer(const std::string& pem) {
    auto cert = ParseCert(pem);
    unsigned char* der = nullptr;
    int n = i2d_X509(cert.get(), &der);
    if (n <= 0) Fail("i2d_X509");
    std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
    OPENSSL_free(der);
    return out;
}

std::string DerToPem(const std::string& der) {
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!cert) Fail("not a DER certificate");
    return CertPem(cert.get());
}

std::string Sha256Fingerprint(const std::string& pem) {
    auto cert = ParseCert(pem);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (X509_digest(cert.get(), EVP_sha256(), md, &n) != 1) Fail("X509_digest");
    std::string out;
    for (unsigned int i = 0; i < n; ++i) out += fmt::format("{}{:02X}", i ? ":" : "", md[i]);
    return out;
}

std::string LastCertificate(const std::string& chain_pem) {
    auto bio = MemBio(chain_pem);
    X509Ptr last;
    while (X509* c = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) last.reset(c);
    ERR_clear_error();  // the read past the end
    if (!last) Fail("no certificate in the chain");
    return CertPem(last.get());
}

std::string ReadFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("tls: cannot read " + path.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void WriteFileAtomic(const std::filesystem::path& path, const std::string& content, unsigned mode) {
    std::string tmp = path.string() + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) throw std::runtime_error("tls: cannot write " + tmp);
    bool ok = ::fchmod(fd, mode) == 0;
    size_t done = 0;
    while (ok && done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n <= 0) ok = false;
        if (n > 0) done += static_cast<size_t>(n);
    }
    ok = ::fsync(fd) == 0 && ok;
    ok = ::close(fd) == 0 && ok;
    if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw std::runtime_error("tls: cannot write " + path.string());
    }
}

Material EnsureSelfSigned(const std::filesystem::path& dir, const std::string& ca_label,
                          const std::vector<std::string>& extra_names, TimePoint now) {
    std::filesystem::create_directories(dir);
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace);
    const auto ca_crt = dir / "ca.crt";
    const auto ca_key = dir / "ca.key";
    const auto srv_crt = dir / "server.crt";
    const auto srv_key = dir / "server.key";
    KeyPair ca;
    if (std::filesystem::exists(ca_crt) && std::filesystem::exists(ca_key)) {
        ca = {ReadFile(ca_crt), ReadFile(ca_key)};
        ParseCert(ca.cert_pem);
        ParseKey(ca.key_pem);
    } else {
        ca = MakeCa(ca_label, now);
        WriteFileAtomic(ca_key, ca.key_pem, 0600);
        WriteFileAtomic(ca_crt, ca.cert_pem, 0644);
        spdlog::info("tls: created the local CA {} (SHA-256 {})", ca_crt.string(), Sha256Fingerprint(ca.cert_pem));
    }
    Hosts wanted = LocalHosts(extra_names);
    std::optional<CertInfo> current;
    if (std::filesystem::exists(srv_crt) && std::filesystem::exists(srv_key)) {
        try {
            current = ReadCertInfo(ReadFile(srv_crt), ca.cert_pem);
            ParseKey(ReadFile(srv_key));
        } catch (const std::exception& e) {
            spdlog::warn("tls: unreadable server certificate, making a new one: {}", e.what());
            current.reset();
        }
    }
    if (auto reason = RenewalReason(current, wanted, now); !reason.empty()) {
        auto server = MakeServerCert(ca, wanted, now);
        WriteFileAtomic(srv_key, server.key_pem, 0600);
        WriteFileAtomic(srv_crt, server.cert_pem, 0644);
        spdlog::info("tls: new server certificate ({}) for {}", reason, SanValue(wanted));
    }
    return {ReadFile(srv_crt), ReadFile(srv_key), ca.cert_pem};
}

Material LoadFiles(const std::filesystem::path& cert_file, const std::filesystem::path& key_file) {
    Material m{ReadFile(cert_file), ReadFile(key_file), ""};
    auto leaf = ParseCert(m.chain_pem);
    auto key = ParseKey(m.key_pem);
    if (X509_check_private_key(leaf.get(), key.get()) != 1) {
        ERR_clear_error();
        throw std::runtime_error("tls: " + key_file.string() + " is not the key of " + cert_file.string());
    }
    std::string last = LastCertificate(m.chain_pem);
    if (PemToDer(last) != PemToDer(m.chain_pem)) m.ca_pem = last;
    return m;
}

}  // namespace safeloop::tls
