#include "http/tls_cert.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>

namespace safeloop::tls {
namespace {

using std::chrono::days;

TimePoint At(int64_t unix_seconds) { return TimePoint(std::chrono::seconds(unix_seconds)); }

Hosts MakeHosts(std::initializer_list<std::string> names) {
    Hosts h;
    for (const auto& n : names) AddName(h, n);
    return h;
}

TEST(TlsCert, AddNameSortsAddressesFromNames) {
    auto h = MakeHosts({"Plant-Server.local", "10.1.2.3", "fe80::0:1%eth0", "localhost"});
    EXPECT_EQ(h.dns, (std::set<std::string>{"localhost", "plant-server.local"}));
    EXPECT_EQ(h.ips, (std::set<std::string>{"10.1.2.3", "fe80::1"}));
    EXPECT_THROW(AddName(h, "bad name/"), std::runtime_error);
}

TEST(TlsCert, LocalHostsHasLoopbackNamesAndExtras) {
    auto h = LocalHosts({"safeloop.plant", "192.168.9.9"});
    EXPECT_TRUE(h.dns.contains("localhost"));
    EXPECT_TRUE(h.dns.contains("safeloop.plant"));
    EXPECT_TRUE(h.ips.contains("127.0.0.1"));
    EXPECT_TRUE(h.ips.contains("192.168.9.9"));
    EXPECT_FALSE(h.ips.contains("::1"));
}

TEST(TlsCert, ServerCertificateCarriesTheNamesAndVerifiesAgainstItsCa) {
    const TimePoint now = At(1795000000);  // 2026-11-18
    auto ca = MakeCa("SafeLoop 本地根证书 test", now);
    auto hosts = MakeHosts({"localhost", "plant.example", "127.0.0.1", "10.0.0.7", "fd00::7"});
    auto server = MakeServerCert(ca, hosts, now);
    EXPECT_EQ(VerifyAgainst(server.cert_pem, ca.cert_pem), "");
    EXPECT_EQ(VerifyAgainst(ca.cert_pem, ca.cert_pem), "");  // self-signed root

    auto info = ReadCertInfo(server.cert_pem, ca.cert_pem);
    EXPECT_TRUE(info.signed_by_ca);
    EXPECT_EQ(info.hosts.dns, hosts.dns);
    EXPECT_EQ(info.hosts.ips, hosts.ips);
    EXPECT_LE(info.not_before, now);
    EXPECT_LE(info.not_after - info.not_before, days(825));
    EXPECT_GE(info.not_after - now, days(kServerValidityDays) - days(1));

    auto ca_info = ReadCertInfo(ca.cert_pem, ca.cert_pem);
    EXPECT_GE(ca_info.not_after - now, days(3649));
    EXPECT_LE(ca_info.not_after - now, days(3651));

    // Another CA does not vouch for it.
    auto other = MakeCa("other", now);
    EXPECT_NE(VerifyAgainst(server.cert_pem, other.cert_pem), "");
    EXPECT_FALSE(ReadCertInfo(server.cert_pem, other.cert_pem).signed_by_ca);
}

TEST(TlsCert, DerRoundTripAndFingerprint) {
    auto ca = MakeCa("fp", At(1795000000));
    auto der = PemToDer(ca.cert_pem);
    EXPECT_EQ(DerToPem(der), ca.cert_pem);
    auto fp = Sha256Fingerprint(ca.cert_pem);
    EXPECT_EQ(fp.size(), 32u * 3 - 1);
    EXPECT_EQ(LastCertificate(ca.cert_pem + ca.cert_pem), ca.cert_pem);
    EXPECT_THROW(PemToDer("not a certificate"), std::runtime_error);
}

TEST(TlsCert, RenewalDecision) {
    const TimePoint now = At(1795000000);
    CertInfo ok;
    ok.hosts = MakeHosts({"localhost", "127.0.0.1", "10.0.0.7"});
    ok.not_before = now - days(10);
    ok.not_after = now + days(400);
    ok.signed_by_ca = true;
    EXPECT_EQ(RenewalReason(ok, ok.hosts, now), "");
    EXPECT_NE(RenewalReason(std::nullopt, ok.hosts, now), "");

    auto moved = MakeHosts({"localhost", "127.0.0.1", "10.0.0.8"});
    EXPECT_NE(RenewalReason(ok, moved, now), "");
    auto renamed = MakeHosts({"localhost", "plant", "127.0.0.1", "10.0.0.7"});
    EXPECT_NE(RenewalReason(ok, renamed, now), "");

    CertInfo near = ok;
    near.not_after = now + days(29);
    EXPECT_NE(RenewalReason(near, ok.hosts, now), "");
    near.not_after = now + days(31);
    EXPECT_EQ(RenewalReason(near, ok.hosts, now), "");

    CertInfo foreign = ok;
    foreign.signed_by_ca = false;
    EXPECT_NE(RenewalReason(foreign, ok.hosts, now), "");
}

TEST(TlsCert, EnsureSelfSignedKeepsTheCaAndRenewsOnlyTheServerCertificate) {
    std::string templ = (std::filesystem::temp_directory_path() / "safeloop-tls-XXXXXX").string();
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    std::filesystem::path dir = std::filesystem::path(templ) / "tls";
    const TimePoint now = At(1795000000);
    auto first = EnsureSelfSigned(dir, "SafeLoop 本地根证书 unit", {"plant.example"}, now);
    EXPECT_EQ(VerifyAgainst(first.chain_pem, first.ca_pem), "");
    struct stat st {};
    ASSERT_EQ(stat((dir / "ca.key").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    ASSERT_EQ(stat((dir / "server.key").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);

    auto same = EnsureSelfSigned(dir, "ignored", {"plant.example"}, now + days(1));
    EXPECT_EQ(same.ca_pem, first.ca_pem);
    EXPECT_EQ(same.chain_pem, first.chain_pem);

    auto renamed = EnsureSelfSigned(dir, "ignored", {"other.example"}, now + days(2));
    EXPECT_EQ(renamed.ca_pem, first.ca_pem);
    EXPECT_NE(renamed.chain_pem, first.chain_pem);
    EXPECT_TRUE(ReadCertInfo(renamed.chain_pem, renamed.ca_pem).hosts.dns.contains("other.example"));

    auto late = EnsureSelfSigned(dir, "ignored", {"other.example"}, now + days(kServerValidityDays - 10));
    EXPECT_EQ(late.ca_pem, first.ca_pem);
    EXPECT_NE(late.chain_pem, renamed.chain_pem);

    auto loaded = LoadFiles(dir / "server.crt", dir / "server.key");
    EXPECT_EQ(loaded.chain_pem, late.chain_pem);
    EXPECT_EQ(loaded.ca_pem, "");  // a lone certificate names no root
    EXPECT_THROW(LoadFiles(dir / "server.crt", dir / "ca.key"), std::runtime_error);
    std::filesystem::remove_all(templ);
}

}  // namespace
}  // namespace safeloop::tls
