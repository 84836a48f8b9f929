// Legacy (pre-1.0, "0.9") peers: a stream header without 'version' (RFC 6120
// §4.7.5, RULES.md CORE-17): no features, no STARTTLS, SASL or bidi, dialback
// right after the headers; a server that requires TLS refuses.
#include "test_support.hpp"

namespace bidilab::model::test {
namespace {

using IS = InitiatingStream::State;
using RS = ReceivingStream::State;
namespace f = feature;

Element legacy_header(DomainId from, DomainId to, StreamId id = kNoStream) {
    Element e = Element::stream_open(from, to, id);
    e.flags |= Element::kNoVersion;
    return e;
}

// capulet.lit as a 0.9 server: no TLS, SASL or bidi (as make_scenario sets it).
ServerPolicy legacy_capulet() {
    ServerPolicy p = plain(domain_set({kCapulet}), 1);
    p.sasl_external = false;
    p.bidi = false;
    p.legacy = true;
    return p;
}

ServerPolicy without_dialback(ServerPolicy p) {
    p.dialback = false;
    return p;
}

TEST(LegacyHeader, CORE_17_IsWrittenWithoutVersion) {
    const NameTable n = world_names();
    const std::string legacy = to_xml(legacy_header(kMontague, kCapulet, 3), n);
    EXPECT_EQ(legacy.find("version="), std::string::npos) << legacy;
    EXPECT_NE(legacy.find(" id='id-3'>"), std::string::npos) << legacy;
    EXPECT_NE(legacy.find("xmlns:db='jabber:server:dialback'"), std::string::npos) << legacy;  // DB-33
    EXPECT_NE(to_xml(Element::stream_open(kMontague, kCapulet, 3), n).find(" version='1.0'>"), std::string::npos);
    EXPECT_NE(describe(legacy_header(kCapulet, kMontague), n).find("without version"), std::string::npos);
    EXPECT_NE(legacy_header(kCapulet, kMontague), Element::stream_open(kCapulet, kMontague));
    EXPECT_STREQ(condition_name(Condition::UnsupportedVersion), "unsupported-version");
}

TEST(LegacyInitiator, CORE_17_DB_3_SendsNoVersionAndDialbackRightAfterTheResponse) {
    const ServerPolicy p = legacy_capulet();
    InitiatingStream i = InitiatingStream::initial(kCapulet, kMontague);
    run_steps(i, p, {
        {Element::tcp_connected(), {legacy_header(kCapulet, kMontague)}, "AwaitingStreamOpen"},
        {legacy_header(kMontague, kCapulet, 5), {Element::db_result(kCapulet, kMontague, Key{5, 1, kCapulet, kMontague, 0})},
         "Established"},
    });
    EXPECT_TRUE(i.data().has(InitiatingData::kLegacy));
    EXPECT_EQ(i.data().features, f::kDialback);  // DB-34: no dialback errors without a feature
    EXPECT_EQ(i.pair(kCapulet, kMontague), PairState::Requested);
}

// ---------------------------------------------------------------- a 1.0 initiator, a response without version
struct InitiatorCase {
    const char* rules;
    ServerPolicy policy;
    InitiatingStream::Purpose purpose;
    std::vector<Element> out;
    const char* state;
};

TEST(LegacyInitiator, CORE_17_EXT_1_DB_16_VersionOneInitiatorGoesOnWithDialbackOrCloses) {
    const Element result = Element::db_result(kCapulet, kMontague, Key{7, 1, kCapulet, kMontague, 0});
    const Element unsupported = Element::stream_error(Condition::UnsupportedVersion);
    ServerPolicy strict = capulet();
    strict.tls = TlsPolicy::Required;
    const std::vector<InitiatorCase> cases = {
        {"CORE-17, DB-3: TLS offered, dialback on: db:result at once", capulet(), InitiatingStream::Purpose::Stanzas,
         {result}, "Established"},
        {"CORE-17, DB-16: a verify-only connection is ready at once", capulet(), InitiatingStream::Purpose::VerifyOnly,
         {}, "Established"},
        {"CORE-17, EXT-1: TLS required: unsupported-version", strict, InitiatingStream::Purpose::Stanzas,
         {unsupported, Element::stream_close()}, "Closed"},
        {"CORE-17: no dialback, nothing a 0.9 peer can do", without_dialback(capulet()),
         InitiatingStream::Purpose::Stanzas, {unsupported, Element::stream_close()}, "Closed"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.rules);
        InitiatingStream i = InitiatingStream::initial(kCapulet, kMontague, c.purpose);
        const Element ours = Element::stream_open(kCapulet, kMontague);  // DB-33: xmlns:db only with dialback
        run_steps(i, c.policy, {
            {Element::tcp_connected(), {c.policy.dialback ? ours : without_dialback_ns(ours)}, "AwaitingStreamOpen"},
            {legacy_header(kMontague, kCapulet, 7), c.out, c.state},
        });
        EXPECT_EQ(i.data().has(InitiatingData::kLegacy), i.state() == IS::Established);
    }
}

TEST(LegacyInitiator, CORE_2_CORE_17_AVersionOneResponseStillWaitsForFeatures) {
    InitiatingStream i = InitiatingStream::initial(kCapulet, kMontague);
    run_steps(i, capulet(), {
        {Element::tcp_connected(), {Element::stream_open(kCapulet, kMontague)}, "AwaitingStreamOpen"},
        {Element::stream_open(kMontague, kCapulet, 2), {}, "AwaitingFeatures"},
    });
    EXPECT_FALSE(i.data().has(InitiatingData::kLegacy));
}

// ---------------------------------------------------------------- the receiving side
struct ReceiverCase {
    const char* rules;
    ServerPolicy policy;
    Element header;
    std::vector<Element> out;
    const char* state;
};

TEST(LegacyReceiver, CORE_17_CORE_24_AnswersWithoutVersionAndNoFeaturesOrRefuses) {
    const Element unsupported = Element::stream_error(Condition::UnsupportedVersion);
    const std::vector<ReceiverCase> cases = {
        {"CORE-17, DB-33: TLS offered: a 0.9 answer, no features", capulet(), legacy_header(kMontague, kCapulet),
         {legacy_header(kCapulet, kMontague, 1)}, "AwaitingNegotiation"},
        {"CORE-17, CORE-28: TLS required: unsupported-version", montague(), legacy_header(kCapulet, kMontague),
         {legacy_header(kMontague, kCapulet, 1), unsupported, Element::stream_close()}, "Closed"},
        {"CORE-17: no dialback: unsupported-version", without_dialback(capulet()), legacy_header(kMontague, kCapulet),
         {without_dialback_ns(legacy_header(kCapulet, kMontague, 1)), unsupported, Element::stream_close()}, "Closed"},
        {"CORE-17: a 0.9 server answers a 1.0 header in 0.9", legacy_capulet(),
         Element::stream_open(kMontague, kCapulet), {legacy_header(kCapulet, kMontague, 1)}, "AwaitingNegotiation"},
        {"CORE-17, CORE-24, CORE-25: host-unknown, in 0.9", capulet(), legacy_header(kMontague, kVerona),
         {legacy_header(kCapulet, kMontague, 1), Element::stream_error(Condition::HostUnknown), Element::stream_close()},
         "Closed"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.rules);
        ReceivingStream r = ReceivingStream::initial();
        run_steps(r, c.policy, {{c.header, c.out, c.state}});
        EXPECT_EQ(r.data().has(ReceivingData::kLegacy), r.state() == RS::AwaitingNegotiation);
    }
}

TEST(LegacyReceiver, CORE_17_CORE_31_DB_22_TakesDialbackButNoStartTlsOrBidi) {
    const ServerPolicy p = capulet();
    ReceivingStream opened = ReceivingStream::initial();
    run_steps(opened, p, {{legacy_header(kMontague, kCapulet), {legacy_header(kCapulet, kMontague, 1)}, "AwaitingNegotiation"}});
    EXPECT_EQ(opened.data().offered, f::kDialback);

    ReceivingStream r = opened;
    const Key key{1, 2, kMontague, kCapulet, 0};
    run_steps(r, p, {{Element::db_result(kMontague, kCapulet, key),
                      {Element::verify_needed(kMontague, kCapulet, 1, key)}, "AwaitingNegotiation"}});

    r = opened;  // CORE-31: STARTTLS was not offered
    run_steps(r, p, {{Element::start_tls(), {Element::tls_failure(), Element::stream_close()}, "Closed"}});

    r = opened;  // BIDI-2: bidi was not offered either
    Context ctx(p, 2);
    const Outcome o = r.deliver(Element::bidi(), ctx);
    EXPECT_TRUE(o.violation());
    EXPECT_EQ(r.state(), RS::AwaitingNegotiation);
}

// ---------------------------------------------------------------- both ends, over one connection
std::string joined(const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines) s += l + "\n";
    return s;
}

struct LinkCase {
    const char* rules;
    ServerPolicy initiator;
    ServerPolicy receiver;
    std::size_t versioned_headers;  // the 1.0 initiator's own header says version='1.0'
};

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

TEST(LegacyLink, CORE_17_DB_2_DialbackInTheClearInBothDirections) {
    ServerPolicy legacy_montague = plain(domain_set({kMontague, kConference}), 2);
    legacy_montague.sasl_external = false;
    legacy_montague.bidi = false;
    legacy_montague.legacy = true;
    const std::vector<LinkCase> cases = {
        {"CORE-17: a legacy initiator to a 1.0 receiver", legacy_capulet(), prosody(plain(domain_set({kMontague}), 2)),
         0},
        {"CORE-17: a 1.0 initiator (TLS offered, bidi) to a legacy receiver", capulet(), legacy_montague, 1},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.rules);
        Link link(c.initiator, c.receiver, kCapulet, kMontague);
        link.connect();
        const std::string transcript = joined(link.transcript);
        EXPECT_EQ(link.i.state(), IS::Established) << transcript;
        EXPECT_EQ(link.r.state(), RS::Established) << transcript;
        EXPECT_EQ(link.i.pair(kCapulet, kMontague), PairState::Valid) << transcript;
        EXPECT_TRUE(link.i.may_send(kCapulet, kMontague));
        EXPECT_TRUE(link.i.data().has(InitiatingData::kLegacy));
        EXPECT_TRUE(link.r.data().has(ReceivingData::kLegacy));
        // The response without version (RFC 6120 §4.7.5), no features, no TLS,
        // no bidi: headers, then dialback.
        EXPECT_EQ(count(transcript, "<stream:stream"), 2u) << transcript;
        EXPECT_EQ(count(transcript, " version='1.0'"), c.versioned_headers) << transcript;
        EXPECT_EQ(count(transcript, "version="), c.versioned_headers) << transcript;
        const auto response = transcript.find("R: <stream:stream");
        ASSERT_NE(response, std::string::npos) << transcript;
        EXPECT_EQ(transcript.find("version=", response), std::string::npos) << transcript;
        EXPECT_EQ(transcript.find("features"), std::string::npos) << transcript;
        EXPECT_EQ(transcript.find("starttls"), std::string::npos) << transcript;
        EXPECT_EQ(transcript.find("bidi"), std::string::npos) << transcript;
        EXPECT_NE(transcript.find("<db:result"), std::string::npos) << transcript;
    }
}

TEST(LegacyLink, CORE_17_CORE_28_ATlsRequiredReceiverRefusesALegacyInitiator) {
    const ServerPolicy legacy = legacy_capulet(), strict = montague();  // Link keeps references
    Link link(legacy, strict, kCapulet, kMontague);
    link.connect();
    const std::string transcript = joined(link.transcript);
    EXPECT_EQ(link.i.state(), IS::Closed) << transcript;
    EXPECT_EQ(link.r.state(), RS::Closed) << transcript;
    // The 0.9 initiator sent its db:result right after the header; it was never answered.
    EXPECT_EQ(link.i.pair(kCapulet, kMontague), PairState::Requested) << transcript;
    EXPECT_FALSE(link.i.may_send(kCapulet, kMontague));
    EXPECT_NE(transcript.find("<unsupported-version"), std::string::npos) << transcript;
    EXPECT_EQ(transcript.find("version="), std::string::npos) << transcript;
    EXPECT_EQ(transcript.find("features"), std::string::npos) << transcript;
}

}  // namespace
}  // namespace bidilab::model::test
