// Dialback (XEP-0220), keys (XEP-0185) and the XEP-0344 certificate check on
// the two machines, fed by hand or over a Link (the global sweeps are in
// dialback_global_rules_test.cpp).
#include "test_support.hpp"

#include "model/scenario.hpp"
#include "topologies/topology.hpp"

#include <filesystem>

namespace bidilab::model::test {
namespace {

using IS = InitiatingStream::State;
using RS = ReceivingStream::State;
namespace f = feature;

const Key kKey{1, 1, kCapulet, kMontague, 0};

bool has_kind(const Context& c, ElementKind k) {
    for (const Element& e : c.out)
        if (e.kind == k) return true;
    return false;
}

// Out of the model: a prefix other than db: (the model always declares and uses db:).
TEST(DialbackWire, DB_1_DialbackElementsUseThePrefixTheHeadersDeclare) {
    const NameTable n = world_names();
    for (const Element& h : {Element::stream_open(kCapulet, kMontague), Element::stream_open(kMontague, kCapulet, 1)})
        EXPECT_NE(to_xml(h, n).find(" xmlns:db='jabber:server:dialback'"), std::string::npos);
    const Element db[] = {Element::db_result(kCapulet, kMontague, kKey), Element::db_result(kMontague, kCapulet, DbType::Valid),
                          Element::db_result(kMontague, kCapulet, DbType::Error, Condition::ItemNotFound),
                          Element::db_verify(kMontague, kCapulet, 1, kKey), Element::db_verify(kCapulet, kMontague, 1, DbType::Invalid),
                          Element::db_verify(kCapulet, kMontague, 1, DbType::Error, Condition::ItemNotFound)};
    for (const Element& e : db) {
        const std::string xml = to_xml(e, n);
        const std::string name = e.kind == ElementKind::DbResult ? "db:result" : "db:verify";
        EXPECT_EQ(xml.rfind("<" + name + " ", 0), 0u) << xml;
        const bool closed = xml.size() >= 2 && xml.compare(xml.size() - 2, 2, "/>") == 0;
        EXPECT_TRUE(closed || xml.find("</" + name + ">") == xml.size() - name.size() - 3) << xml;
        EXPECT_EQ(xml.find("jabber:server:dialback"), std::string::npos) << xml;  // no local redeclaration
    }
}

TEST(DialbackRequests, DB_4_RequestNamesSenderAsFromAndTargetAsToAndASwappedOneFails) {
    Link link(kMontaguePlain, kCapuletPlain, kMontague, kCapulet);
    link.connect();
    ASSERT_EQ(link.i.state(), IS::Established);
    EXPECT_EQ(link.transcript[4].rfind("I: <db:result from='montague.lit' to='capulet.lit'>", 0), 0u) << link.transcript[4];
    Context ctx(kMontaguePlain);
    ASSERT_TRUE(link.i.deliver(Element::request_pair(kConference, kCapulet), ctx).handled());
    EXPECT_EQ(xml_of(outputs(ctx)),
              xml_of({Element::db_result(kConference, kCapulet, Key{link.i.data().stream_id, 2, kConference, kCapulet, 0})}));
    // MUT: from and to swapped. montague.lit is not the sender and capulet.lit
    // is not hosted there: host-unknown (Prosody) or item-not-found (XEP-0220).
    for (bool stream_error : {true, false}) {
        ServerPolicy rp = kMontaguePlain;
        rp.unknown_target_stream_error = stream_error;
        ReceivingStream r = ReceivingStream::initial();
        Context rc(rp);
        ASSERT_TRUE(r.deliver(Element::stream_open(kCapulet, kMontague), rc).handled());
        const Outcome o = r.deliver(Element::db_result(kMontague, kCapulet, Key{1, 1, kMontague, kCapulet, 0}), rc);
        const Element expected = stream_error ? Element::stream_error(Condition::HostUnknown)
                                              : Element::db_result(kCapulet, kMontague, DbType::Error, Condition::ItemNotFound);
        EXPECT_TRUE(o.handled()) << o.describe();
        ASSERT_FALSE(rc.out.empty());
        EXPECT_EQ(xml_of({rc.out[0]}), xml_of({expected}));
        EXPECT_FALSE(has_kind(rc, ElementKind::VerifyNeeded));
        EXPECT_EQ(r.data().fwd.size(), 0u);
    }
}

TEST(DialbackRequests, DB_5_InitiatorNeedsOnlyTheTypedResultHoweverRVerified) {
    // A receiver that validates without dialling back (XEP-0344) answers at
    // once; no db:verify reaches the initiator on any stream, in any order.
    const Element result = Element::db_result(kMontague, kCapulet, DbType::Valid);
    const std::vector<Element> before_answer[] = {
        {},
        {Element::request_pair(kCapulet, kConference)},                                     // another pair pending
        {Element::send_verify(kCapulet, kVerona, 7, Key{7, 3, kVerona, kCapulet, 0})},       // verifying for others
    };
    for (const auto& extra : before_answer) {
        InitiatingStream i = InitiatingStream::initial(kCapulet, kMontague);
        Context ctx(kCapuletPlain);
        for (const Element& e : {Element::tcp_connected(), Element::stream_open(kMontague, kCapulet, 1),
                                 Element::stream_features(f::kDialback | f::kDialbackErrors)})
            ASSERT_TRUE(i.deliver(e, ctx).handled());
        for (const Element& e : extra) ASSERT_TRUE(i.deliver(e, ctx).handled()) << kind_name(e.kind);
        ASSERT_EQ(i.pair(kCapulet, kMontague), PairState::Requested);
        ASSERT_TRUE(i.deliver(result, ctx).handled());
        EXPECT_EQ(i.pair(kCapulet, kMontague), PairState::Valid) << extra.size();
        EXPECT_TRUE(i.may_send(kCapulet, kMontague));
        EXPECT_EQ(xml_of(outputs(ctx)), xml_of({Element::pair_outcome(kCapulet, kMontague, DbType::Valid)}));
    }
}

TEST(DialbackResults, DB_26_NoStanzaAcceptedForAPairAfterItsInvalidResult) {
    {   // The first pair: R closes (DB-27); nothing that follows is accepted.
        ServerPolicy forger = kCapuletPlain;
        forger.secret = 9;
        Link link(forger, kMontaguePlain, kCapulet, kMontague, {&kCapuletPlain});
        link.connect();
        EXPECT_EQ(link.r.pair(kCapulet, kMontague), PairState::Invalid);
        EXPECT_FALSE(link.r.accepts(kCapulet, kMontague));
        Context ctx(kMontaguePlain);
        EXPECT_FALSE(link.r.deliver(Element::stanza(kCapulet, kMontague, 1), ctx).handled());
    }
    {   // A later pair on a stream that has a valid one: the stream stays, the pair is refused.
        Link link(kMontaguePlain, kCapuletPlain, kMontague, kCapulet);
        link.connect();
        link.hold_verifications = true;
        link.to_initiator(Element::request_pair(kConference, kCapulet));
        ASSERT_EQ(link.verify_requests.size(), 1u);
        const Element n = link.verify_requests[0];
        link.to_receiver(Element::verify_outcome(n.from, n.to, n.id, DbType::Invalid));
        EXPECT_EQ(link.r.pair(kConference, kCapulet), PairState::Invalid);
        ASSERT_EQ(link.r.state(), RS::Established);
        EXPECT_FALSE(link.r.accepts(kConference, kCapulet));
        EXPECT_TRUE(link.r.accepts(kMontague, kCapulet));
        Context ctx(kCapuletPlain);
        const Outcome o = link.r.deliver(Element::stanza(kConference, kCapulet, 1), ctx);
        EXPECT_TRUE(o.violation());                       // answered by a stream error (CORE-46)
        EXPECT_NE(o.condition, Condition::None) << o.describe();
    }
}

TEST(DialbackFeatures, DB_34_DialbackErrorsAdvertisedIffSupported) {
    int cases = 0;
    for (int bits = 0; bits < 16; ++bits) {
        ServerPolicy p = montague();
        p.dialback = bits & 1;
        p.dialback_errors = bits & 2;
        p.tls = (bits & 4) ? TlsPolicy::Required : TlsPolicy::Offered;
        p.bidi = bits & 8;
        for (std::uint8_t flags = 0; flags < 8; ++flags) {
            ReceivingData d;
            d.flags = flags;
            d.hdr_from = kCapulet;
            d.peer_cert = domain_set({kCapulet});
            const Features offer = receiver_offer(d, Context(p));
            ++cases;
            EXPECT_EQ(has(offer, f::kDialbackErrors), p.dialback && p.dialback_errors) << bits << "/" << int(flags);
            EXPECT_EQ(has(offer, f::kDialback), p.dialback) << bits << "/" << int(flags);
        }
    }
    EXPECT_EQ(cases, 128);
    EXPECT_NE(to_xml(Element::stream_features(f::kDialback | f::kDialbackErrors), world_names())
                  .find("<dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback>"),
              std::string::npos);
}

// The typed error db:* elements each emitting row produces.
std::vector<Element> typed_errors(const Context& c) {
    std::vector<Element> out;
    for (const Element& e : c.out)
        if ((e.kind == ElementKind::DbResult || e.kind == ElementKind::DbVerify) && e.type == DbType::Error) out.push_back(e);
    return out;
}

TEST(DialbackErrors, DB_37_EveryTypedErrorCarriesAStanzaErrorCondition) {
    std::vector<Element> errors;
    ServerPolicy xep = kMontaguePlain;
    xep.unknown_target_stream_error = false;
    {   // DB-24: a target we do not host.
        ReceivingStream r = ReceivingStream::initial();
        Context c(xep);
        r.deliver(Element::stream_open(kCapulet, kMontague), c);
        r.deliver(Element::db_result(kCapulet, kVerona, Key{1, 1, kCapulet, kVerona, 0}), c);
        for (const Element& e : typed_errors(c)) errors.push_back(e);
    }
    {   // DB-29: a db:verify for a domain we are not the authority of.
        ReceivingStream r = ReceivingStream::initial();
        Context c(xep);
        r.deliver(Element::stream_open(kCapulet, kMontague), c);
        r.deliver(Element::db_verify(kCapulet, kVerona, 4, Key{4, 3, kVerona, kCapulet, 0}), c);
        for (const Element& e : typed_errors(c)) errors.push_back(e);
    }
    {   // DB-36: Step 3 failed for a forward request on R, and for a reverse one on I.
        Link link(kCapuletPlain, kMontaguePlain, kCapulet, kMontague);
        link.connect();
        link.hold_verifications = true;
        link.to_receiver(Element::request_pair(kConference, kCapulet));  // reverse request (BIDI-8)
        link.to_initiator(Element::request_pair(kCapulet, kConference));  // a second forward pair
        ASSERT_EQ(link.verify_requests.size(), 2u);
        for (const Element& n : link.verify_requests) {
            Context c(n.from == kConference ? kCapuletPlain : kMontaguePlain, 20);
            if (n.from == kConference) link.i.deliver(Element::verify_outcome(n.from, n.to, n.id, DbType::Error), c);
            else link.r.deliver(Element::verify_outcome(n.from, n.to, n.id, DbType::Error), c);
            for (const Element& e : typed_errors(c)) errors.push_back(e);
        }
    }
    ASSERT_EQ(errors.size(), 4u);
    for (const Element& e : errors) {
        const std::string xml = to_xml(e, world_names());
        EXPECT_NE(e.condition, Condition::None) << xml;
        EXPECT_NE(xml.find(" type='error'><error type='"), std::string::npos) << xml;
        EXPECT_NE(xml.find(" xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></db:"), std::string::npos) << xml;
    }
}

TEST(DialbackKeys, KEY_3_OneSecretPerServerAndForeignKeysAreInvalid) {
    for (const auto& entry : std::filesystem::directory_iterator(topologies::shipped_topologies_dir())) {
        if (entry.path().extension() != ".json") continue;
        const Scenario sc = make_scenario(topologies::load_topology(entry.path()));
        for (ServerIndex s = 0; s < sc.servers.size(); ++s) {
            const ServerPolicy& p = sc.servers[s];
            EXPECT_NE(p.secret, kNoSecret) << entry.path();  // set up by configuration, no communication
            for (ServerIndex o = 0; o < sc.servers.size(); ++o)
                if (o != s) {
                    EXPECT_NE(p.secret, sc.servers[o].secret) << entry.path();
                }
            for (DomainId d = 1; d <= kMaxDomainId; ++d) {
                if (!p.hosts(d)) continue;
                const DomainId asker = d == 1 ? 2 : 1;
                for (const ServerPolicy& minter : sc.servers) {  // the same key minted by each server
                    const Element v = Element::db_verify(asker, d, 5, Key{5, minter.secret, d, asker, 0});
                    EXPECT_EQ(key_is_valid(v, p), minter.secret == p.secret) << entry.path() << " domain " << int(d);
                }
            }
        }
    }
}

TEST(DialbackTls, DBTLS_3_NoPairValidatedWithoutTheAuthorityUnlessTheCertificateNamesTheSender) {
    // The model has no XEP-0344 shortcut: every request goes to the authority.
    // Any shortcut added later must still have the sender in the certificate.
    const ServerPolicy rp = montague();
    for (DomainSet cert : {DomainSet{0}, domain_set({kCapulet}), domain_set({kVerona}), domain_set({kCapulet, kVerona})})
        for (DomainId sender : {kCapulet, kVerona}) {
            ReceivingStream r = ReceivingStream::initial();
            Context c(rp);
            for (const Element& e : {Element::stream_open(kCapulet, kMontague), Element::start_tls(), Element::tls_done(cert),
                                     Element::stream_open(kCapulet, kMontague)})
                ASSERT_TRUE(r.deliver(e, c).handled());
            ASSERT_TRUE(r.deliver(Element::db_result(sender, kMontague, Key{r.data().stream_id, 1, sender, kMontague, 0}), c)
                            .handled());
            const PairState st = r.pair(sender, kMontague);
            EXPECT_TRUE(st != PairState::Valid || contains(cert, sender)) << int(sender) << " cert " << cert;
            EXPECT_TRUE(st == PairState::Valid || has_kind(c, ElementKind::VerifyNeeded)) << int(sender);
            EXPECT_TRUE(!r.accepts(sender, kMontague) || contains(cert, sender));
        }
}

}  // namespace
}  // namespace bidilab::model::test
