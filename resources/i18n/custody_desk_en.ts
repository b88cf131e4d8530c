<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AddPartyKeyBox</name>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="71"/>
        <source>Add a party key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="51"/>
        <source>Regulator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="52"/>
        <source>Exchange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="87"/>
        <source>Emergency orders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="88"/>
        <source>Exchange documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="90"/>
        <source>optional, e.g. regulator-emergency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="93"/>
        <source>Read from a device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="95"/>
        <source>33-byte compressed key, 66 hex digits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="148"/>
        <source>optional: checked against the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="101"/>
        <source>optional: 8 hex digits of the device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="50"/>
        <source>Custodian</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="81"/>
        <source>Statement key (emergency orders, exchange documents)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="83"/>
        <source>Bitcoin multisig account key (vault)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="84"/>
        <source>Safe owner address (tokenized assets)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="92"/>
        <source>Paste the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="98"/>
        <source>[fingerprint/48h/1h/0h/2h]tpub… (with its origin)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="114"/>
        <source>Public key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="115"/>
        <source>Account key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="116"/>
        <source>Address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="117"/>
        <source>Device fingerprint:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="118"/>
        <source>Device:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="119"/>
        <source>Path:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="105"/>
        <source>Add key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="108"/>
        <source>Kind:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="109"/>
        <source>Party:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="110"/>
        <source>Role:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="111"/>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="112"/>
        <source>Source:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="149"/>
        <source>0x… (EIP-55 checksum checked)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="180"/>
        <source>No device is connected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="185"/>
        <source>Reading the public key at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="186"/>
        <source>Reading the multisig account key at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="187"/>
        <source>Reading the Safe owner address at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="205"/>
        <source>%1&apos;s key %2 added.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="206"/>
        <source>%1&apos;s multisig account key %2 added.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="207"/>
        <source>%1&apos;s Safe owner %2 recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="249"/>
        <source>Key not added</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AttestationsModel</name>
    <message>
        <location filename="../../app/ui/models/desk.py" line="57"/>
        <source>Seq</source>
        <extracomment>A call this close to its deadline turns amber.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="63"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="69"/>
        <source>Clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="74"/>
        <source>Collateral value (USD)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="80"/>
        <source>As of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="85"/>
        <source>Expires</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="90"/>
        <source>Prepared by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="95"/>
        <source>Approved by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="100"/>
        <source>Root</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AttestationsView</name>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="74"/>
        <source>&amp;Prepare from selected clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="77"/>
        <source>Approve &amp;&amp; &amp;sign on device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="80"/>
        <source>&amp;Verify selected proof</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="83"/>
        <source>Verify &amp;all proofs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="87"/>
        <source>Re&amp;ject…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="90"/>
        <source>Send to e&amp;xchange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="94"/>
        <source>Abandon signing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="99"/>
        <source>Attestation queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="103"/>
        <source>No attestations yet. Select eligible clients on the Holdings tab, then Prepare (Ctrl+Shift+P).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="108"/>
        <source>Filter attestations…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="108"/>
        <source>Filter attestations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="139"/>
        <source>Statement — exactly as the device will show it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="144"/>
        <source>Statement text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="163"/>
        <source>Root:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="164"/>
        <source>Totals:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="165"/>
        <source>Status:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="166"/>
        <source>Signature:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="169"/>
        <source>Export signed &amp;bundle…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="172"/>
        <source>Copy root</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="174"/>
        <source>Root</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="176"/>
        <source>Copy signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="179"/>
        <source>Signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="192"/>
        <location filename="../../app/ui/views/attestations_view.py" line="195"/>
        <source>Inclusion proofs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="271"/>
        <source>Pick the officer on duty (toolbar) to prepare or approve.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="275"/>
        <source>You prepared this attestation: a different officer must approve and sign it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="286"/>
        <source>Prepare will attest: %1 (selected on the Holdings tab).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="291"/>
        <source>No client selected on the Holdings tab.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="312"/>
        <location filename="../../app/ui/views/attestations_view.py" line="336"/>
        <source>Prepare attestation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="313"/>
        <source>Select one or more clients on the Holdings tab first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="319"/>
        <source>Duplicate attestation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="320"/>
        <source>Attestation %1 (%2) already attests %3 with the same collateral.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="324"/>
        <source>Prepare a duplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="326"/>
        <source>Nothing changed since: a new one would attest the same figures again. Import a fresh snapshot first, or cancel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="337"/>
        <source>Plug in your own device: it signs what you prepare (prepared-by).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="342"/>
        <source>Prepare attestation (your signature as its maker)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="354"/>
        <source>Attestation %1 prepared: awaiting a second officer&apos;s approval.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="380"/>
        <source>USD %1 collateral value; %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="389"/>
        <source>%1 by %2 at %3 — reason: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="393"/>
        <source>(none given)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="446"/>
        <source>Cannot reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="457"/>
        <source>Send to the exchange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="458"/>
        <source>Send attestation %1 (%2) to the exchange?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="461"/>
        <source>&amp;Send to exchange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="463"/>
        <source>The exchange books each client&apos;s credit line from it (USD %1 collateral). A sent attestation cannot be recalled. Sent by %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="473"/>
        <source>Not sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="478"/>
        <source>Queued for the exchange; no exchange link is configured (custody-desk exchange-link --url).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="495"/>
        <source>Abandon signing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="496"/>
        <source>Abandon the signing of attestation %1 (%2)?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="499"/>
        <source>A&amp;bandon signing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="501"/>
        <source>Its signing was started and never finished (the desk that asked the device stopped). Nothing was signed: it returns to awaiting approval, and a second officer can approve or reject it again. On a shared desk, make sure no other officer is signing it now. The audit log records it as abandoned by %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="513"/>
        <source>Signing not abandoned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="516"/>
        <source>Attestation %1 is awaiting approval again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="530"/>
        <source>Export signed bundle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="548"/>
        <source>%1 prepared this attestation and cannot approve it: a different officer must approve and sign (maker-checker).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="553"/>
        <source>Approval refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="561"/>
        <source>No signing device found. Plug in your device (see the Devices tab).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="563"/>
        <source>No device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="578"/>
        <source>Attestation %1 signed and verified.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <location filename="../../app/ui/models/registry.py" line="238"/>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="241"/>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="244"/>
        <source>Actor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="247"/>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="256"/>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="250"/>
        <source>Entry hash</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditView</name>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="32"/>
        <source>&amp;Verify chain and checkpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="35"/>
        <source>Export &amp;CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="38"/>
        <source>Take a chec&amp;kpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="49"/>
        <source>Audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="52"/>
        <source>Filter: actor, action, details…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="52"/>
        <source>Filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="55"/>
        <source>Filter by action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="87"/>
        <source>All actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="123"/>
        <source>last checkpoint at entry %1 verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="127"/>
        <source>no checkpoint yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="129"/>
        <source>✔ Chain intact: %1 entries; %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="134"/>
        <source>✘ AUDIT LOG TAMPERED OR DAMAGED: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="142"/>
        <source>Checkpoint taken over %1 entries.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="150"/>
        <source>Export audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="157"/>
        <source>%1 entries exported to %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ClientsModel</name>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="34"/>
        <source>crossed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="69"/>
        <source>exchange: liquidation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="71"/>
        <source>exchange: margin call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="76"/>
        <source>INELIGIBLE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="83"/>
        <source>Not eligible for the pilot: no attestation can be prepared.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="113"/>
        <source>Client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="118"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="123"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="134"/>
        <source>Collateral ratio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="141"/>
        <source>To margin call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="146"/>
        <source>How far collateral value may fall before the margin-call line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="151"/>
        <source>To liquidation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="157"/>
        <source>Market value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="159"/>
        <source>Collateral value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="162"/>
        <source>Credit line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="163"/>
        <source>Exposure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="165"/>
        <source>Eligible</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="397"/>
        <source>MC %1 · LIQ %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CompositionChart</name>
    <message>
        <location filename="../../app/ui/views/charts.py" line="48"/>
        <source>Composition by asset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/charts.py" line="49"/>
        <source>Desk collateral by asset</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CompositionSlot</name>
    <message>
        <location filename="../../app/ui/views/chart_slots.py" line="36"/>
        <source>Composition of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/chart_slots.py" line="37"/>
        <source>Whole desk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/chart_slots.py" line="38"/>
        <source>Selected client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/chart_slots.py" line="60"/>
        <source>No client selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/chart_slots.py" line="62"/>
        <source>Collateral of %1 by asset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/chart_slots.py" line="65"/>
        <source>Desk collateral by asset</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConfirmOnDeviceDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/confirm_on_device.py" line="27"/>
        <location filename="../../app/ui/dialogs/confirm_on_device.py" line="30"/>
        <source>Confirm on your %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/confirm_on_device.py" line="38"/>
        <source>Check that the device shows exactly the text below, character for character, then approve on the device. If anything differs, reject it on the device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/confirm_on_device.py" line="47"/>
        <source>Statement being signed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/confirm_on_device.py" line="54"/>
        <source>Waiting for the device…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/confirm_on_device.py" line="64"/>
        <source>Cancel the device request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/confirm_on_device.py" line="74"/>
        <source>Cancelling on the device…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CreateOrderDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/create_order.py" line="30"/>
        <source>New emergency unfreeze order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/create_order.py" line="35"/>
        <source>Any two of regulator, custodian and exchange can unfreeze a client&apos;s assets within 48 hours. The custodian&apos;s share is signed on the officer&apos;s device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/create_order.py" line="44"/>
        <source>Client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/create_order.py" line="46"/>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/create_order.py" line="47"/>
        <source>Why the assets must be unfrozen (printable ASCII)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/create_order.py" line="48"/>
        <source>&amp;Client:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/create_order.py" line="49"/>
        <source>&amp;Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/create_order.py" line="58"/>
        <source>C&amp;reate order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/create_order.py" line="66"/>
        <source>Character %1 (%2) cannot be shown on a signing device: write the reason in printable ASCII (letters a-z, digits, punctuation).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/create_order.py" line="72"/>
        <source>The reason is %1 characters: a signing device shows at most %2 of it, and fewer for an order of several assets or an on-chain order.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeskApp</name>
    <message>
        <location filename="../../app/ui/main.py" line="144"/>
        <source>The desk now shows the store restored from %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main.py" line="148"/>
        <source>Your session is not in it: sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main.py" line="152"/>
        <source>Store restored</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DevicesModel</name>
    <message>
        <location filename="../../app/ui/models/registry.py" line="151"/>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="155"/>
        <source>  [TEST EMULATOR]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="164"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="167"/>
        <source>Transport</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="172"/>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="175"/>
        <source>Fingerprint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="180"/>
        <source>Officer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="181"/>
        <source>not registered</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DevicesView</name>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="46"/>
        <source>&amp;Scan for devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="49"/>
        <source>&amp;Register officer key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="52"/>
        <source>Identify &amp;&amp; check &amp;key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="56"/>
        <source>Open the selected device: model, firmware, label and fingerprint, and read back the registered officer&apos;s key to check it is the one registered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="61"/>
        <source>Sho&amp;w address on device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="65"/>
        <source>Have the selected device derive the selected registered key&apos;s address and show it on its own screen; the desk compares it with the registered address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="72"/>
        <location filename="../../app/ui/views/devices_view.py" line="168"/>
        <source>Start test &amp;emulator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="74"/>
        <source>Start &amp;another test emulator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="77"/>
        <source>One more emulator on the next public test seed: a device for one more officer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="79"/>
        <source>Ask on the emulator &amp;screen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="84"/>
        <source>Off: test emulators approve automatically. On: each emulator shows the statement on its device screen and waits for Approve or Reject.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="93"/>
        <location filename="../../app/ui/views/devices_view.py" line="96"/>
        <source>Detected devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="98"/>
        <source>No signing device found (see the hints below).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="110"/>
        <location filename="../../app/ui/views/devices_view.py" line="113"/>
        <source>Registered officers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="117"/>
        <source>No officer registered yet. Register officer key (Ctrl+Shift+R) reads it from their device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="123"/>
        <source>Registered keys: show the address on the device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="126"/>
        <source>Registered keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="128"/>
        <source>No registered key yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="168"/>
        <source>Stop test &amp;emulator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="179"/>
        <source>No device to identify.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="182"/>
        <source>Identify the device and read its key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="190"/>
        <source>%1: model %2, firmware %3, label “%4”, fingerprint %5%6.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="196"/>
        <source> (TEST EMULATOR)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="199"/>
        <source>It holds no registered officer&apos;s key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="202"/>
        <source>✓ It holds %1&apos;s registered key at %2 (address %3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="209"/>
        <source>✗ Its key at %1 (address %2) is NOT %3&apos;s registered key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="227"/>
        <source>Select a registered key and a device first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="229"/>
        <source>No device to ask: plug one in or start the test emulator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="235"/>
        <source>The device must show %1 (%2). Compare every character, then confirm on it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="255"/>
        <source>✓ Match: %1 (%2) shows %3, the registered address of %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="262"/>
        <source>Address check: match (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="268"/>
        <source>✗ Not this key&apos;s device: %1 (%2) is not the device %3 was registered from (fingerprint %4). Nothing was shown: connect that party&apos;s own device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="281"/>
        <source>✗ MISMATCH: %1 (%2) shows %3, but the registered address of %4 is %5. This device does not hold the registered key: do not use it for this key until the registration or the device is checked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="295"/>
        <source>Address MISMATCH</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="326"/>
        <source>No device found. Check that it is plugged in and unlocked. On Linux, install the udev rules: sudo packaging/udev/install-udev-rules.sh, then replug. Close any other app that may hold it (Trezor Suite, a browser tab using WebUSB, another desk). For tests, start the emulator (Ctrl+Shift+E).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="349"/>
        <source>Reading the public key at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="359"/>
        <source>Officer %1 registered with key %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DocumentActions</name>
    <message>
        <location filename="../../app/ui/views/document_actions.py" line="47"/>
        <source>%1 written to %2 (%3 bytes).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/document_actions.py" line="62"/>
        <source>%1 copied to the clipboard.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EmergencyModel</name>
    <message>
        <location filename="../../app/ui/models/registry.py" line="48"/>
        <source>Not signed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="50"/>
        <source>✓ Signed, verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="51"/>
        <source>Signature INVALID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="58"/>
        <source>Signature received %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="72"/>
        <source>Executed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="74"/>
        <source>Expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="76"/>
        <source>Quorum — executable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="77"/>
        <source>%1 of 2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="99"/>
        <source>Order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="104"/>
        <source>Client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="108"/>
        <source>Regulator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="109"/>
        <source>Custodian</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="110"/>
        <source>Exchange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="112"/>
        <source>Quorum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="118"/>
        <source>Time left (48 h)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="129"/>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EmergencyOrderDetails</name>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="53"/>
        <source>Statement each party signs (exactly as shown on the device)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="59"/>
        <source>Statement each party signs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="68"/>
        <source>Signatures (2 of 3 distinct parties)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="71"/>
        <source>Party</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="71"/>
        <source>Share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="71"/>
        <source>Key id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="71"/>
        <source>Verification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="90"/>
        <source>Order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="103"/>
        <source>Order / client:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="104"/>
        <source>Reason:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="105"/>
        <source>Created:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="106"/>
        <source>Expires (48 h):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="107"/>
        <source>Status:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="108"/>
        <source>Executed:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="109"/>
        <source>Release instruction:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="112"/>
        <source>SafeTx hash:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="113"/>
        <source>SafeTx signatures:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="121"/>
        <source>Bitcoin release transaction (PSBT)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="132"/>
        <source>Transaction id:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="133"/>
        <source>Inputs / outputs:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="134"/>
        <source>Amount to destination:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="135"/>
        <source>Fee:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="136"/>
        <source>Destination:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="137"/>
        <source>Signatures in the PSBT:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="148"/>
        <source>%1 vault coins in, %2 out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="152"/>
        <source>%1 BTC (%2 sat)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="155"/>
        <source>%1 sat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="165"/>
        <source>✓ %1: every input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="167"/>
        <source>◐ %1: %2 of %3 inputs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="171"/>
        <source>✗ %1: not signed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="175"/>
        <source>Enough signatures: %1 of %2 parties on every input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="178"/>
        <source>%1 of %2 parties&apos; signatures on every input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="184"/>
        <source>Open: no party has signed yet (any two of the three are needed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="186"/>
        <source>Open: 1 of 2 signatures, waiting for a second party</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="187"/>
        <source>Quorum reached: executable once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="188"/>
        <source>Executed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="189"/>
        <source>Expired: can no longer execute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="197"/>
        <source>Select an order to see what is signed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="228"/>
        <source>Not executed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="232"/>
        <location filename="../../app/ui/views/emergency_details.py" line="238"/>
        <source>— (no Safe transaction)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="241"/>
        <source>✓ %1 (%2) valid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="243"/>
        <source>✗ %1 (%2) invalid: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="250"/>
        <source>1 more owner signature needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="253"/>
        <source>%1 more owner signatures needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="256"/>
        <source>Enough owner signatures (2 of 3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="263"/>
        <source>Not signed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="269"/>
        <source>Signed %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="273"/>
        <source>✓ Verified against the registered key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="276"/>
        <source>✗ Not valid: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EmergencyView</name>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="41"/>
        <source>&amp;New order…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="44"/>
        <source>&amp;Sign custodian share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="47"/>
        <source>Sign custodian Safe&amp;Tx</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="49"/>
        <source>Sign the order&apos;s Safe transaction (tokenized assets) on your device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="52"/>
        <source>Replace custodian share…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="54"/>
        <source>Replace the custodian&apos;s share (a lost device, a new key): reason required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="57"/>
        <source>E&amp;xport for the other parties…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="60"/>
        <source>&amp;Import a signed copy…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="63"/>
        <source>Export re&amp;lease instruction…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="66"/>
        <source>E&amp;xecute at quorum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="75"/>
        <source>Parties: regulator (VARA), custodian, exchange. An order executes once, only with valid signatures from two distinct parties before its 48-hour expiry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="82"/>
        <source>Emergency orders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="86"/>
        <source>No emergency orders. New order (Ctrl+Shift+N) starts one; Import (Ctrl+Shift+I) reads another party&apos;s signed copy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="136"/>
        <source>The custodian already signed this order: one share per party.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="175"/>
        <source>Order refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="215"/>
        <source>Emergency unfreeze order %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="239"/>
        <source>Safe transaction of order %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="257"/>
        <source>Export order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="262"/>
        <source>Order exported to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="273"/>
        <source>Export release instruction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="282"/>
        <source>Import signed order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="289"/>
        <source>Import refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="304"/>
        <location filename="../../app/ui/views/emergency_view.py" line="349"/>
        <source>Execute the emergency order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="305"/>
        <source>Release %1&apos;s frozen assets (%2) under order %3?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="309"/>
        <source>E&amp;xecute release</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="311"/>
        <source>The release instruction is produced once and cannot be undone or repeated. The audit log records it as executed by %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="320"/>
        <location filename="../../app/ui/views/emergency_view.py" line="374"/>
        <source>Execution refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="324"/>
        <location filename="../../app/ui/views/emergency_view.py" line="378"/>
        <source>Order executed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="325"/>
        <source>The release instruction for %1 was produced once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="340"/>
        <source>Save the Safe transaction call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="351"/>
        <source>Write the Safe&apos;s execTransaction call releasing %1&apos;s %2 under order %3 to %4?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="357"/>
        <source>&amp;Write call and execute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="359"/>
        <source>The file holds every field of Safe transaction %1, the two owners&apos; signatures sorted by address and the ABI-encoded calldata; broadcasting it moves the tokens. The order is executed once and cannot be undone or repeated. The audit log records it as executed by %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="379"/>
        <source>The execTransaction call for %1 was written to %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EmulatorControl</name>
    <message>
        <location filename="../../app/ui/emulator_control.py" line="103"/>
        <location filename="../../app/ui/emulator_control.py" line="148"/>
        <source>Emulator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/emulator_control.py" line="135"/>
        <source>No test seed left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/emulator_control.py" line="136"/>
        <source>Every public test seed already has a running emulator (%1 emulators). One device belongs to one officer only, so another emulator would need another seed: stop the emulators first, or plug in a device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/emulator_control.py" line="162"/>
        <source>Test emulators now ask on their device screen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/emulator_control.py" line="166"/>
        <source>Test emulators now approve automatically.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/emulator_control.py" line="180"/>
        <source>test emulators</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/emulator_control.py" line="181"/>
        <source>Reading the demo officers&apos; keys from the test emulators</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/emulator_control.py" line="203"/>
        <source>Demo officers alice and bob registered with test keys; alice is on duty. Prepare as alice, then switch to bob to approve.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/emulator_control.py" line="224"/>
        <source>Emulator refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/emulator_control.py" line="225"/>
        <source>This is a production build: the test emulator is disabled. Plug in a hardware device.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EmulatorOfferDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/emulator_offer.py" line="26"/>
        <source>No signing device found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_offer.py" line="27"/>
        <source>No hardware signing device is plugged in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_offer.py" line="29"/>
        <source>Start the test emulator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_offer.py" line="30"/>
        <source>Start the software HSM emulator?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_offer.py" line="32"/>
        <source>Start the software HSM emulator for testing? Everything it signs is marked TEST and refused by a production desk. Plug in a real device to sign for real.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_offer.py" line="38"/>
        <source>No officer is registered yet. One officer prepares an attestation and a different officer, on a different device, approves it: the demo officers alice and bob each get their own emulator with a public test key, and alice is put on duty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_offer.py" line="44"/>
        <source>Also register two &amp;demo officers with test keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_offer.py" line="51"/>
        <source>Start test emulator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_offer.py" line="53"/>
        <source>Not now</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EmulatorScreenWindow</name>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="32"/>
        <source>EMULATOR — device screen (TEST ONLY)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="35"/>
        <source>⚠ TEST EMULATOR — NOT FOR PRODUCTION ⚠</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="41"/>
        <source>%1 · key fingerprint %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="50"/>
        <source>Text on the emulated device&apos;s screen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="61"/>
        <source>✗ &amp;Reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="62"/>
        <source>Reject on the emulated device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="63"/>
        <source>✓ &amp;Approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="64"/>
        <source>Approve on the emulated device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="71"/>
        <source>Nothing to approve.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="78"/>
        <source>The device asks you to approve this text. Check it against the desk&apos;s &quot;Confirm on your device&quot; window, then press a button.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="106"/>
        <source>You closed the device screen: rejected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="118"/>
        <source>You approved on the device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="120"/>
        <source>You rejected on the device.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EmulatorScreens</name>
    <message>
        <location filename="../../app/ui/emulator_screens.py" line="96"/>
        <source>Decided by the approval setting (approve automatically).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/emulator_screens.py" line="100"/>
        <source>The desk cancelled the request (or the device was unplugged).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/emulator_screens.py" line="110"/>
        <source>The device is no longer waiting: nothing was sent.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <location filename="../../app/ui/format.py" line="89"/>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/format.py" line="90"/>
        <source>%1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/format.py" line="91"/>
        <source>%1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/format.py" line="92"/>
        <source>%1 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/format.py" line="119"/>
        <source>demo snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/format.py" line="120"/>
        <source>snapshot #%1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HoldingsView</name>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="92"/>
        <source>Clients</source>
        <extracomment>Above this many clients the table is filled in chunks so the window never stalls.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="95"/>
        <source>Filter clients (Ctrl+F)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="95"/>
        <source>Filter clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="100"/>
        <source>Filter by state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="101"/>
        <source>All states</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="103"/>
        <source>Healthy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="104"/>
        <source>Margin call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="105"/>
        <source>Liquidation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="108"/>
        <source>Ineligible</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="134"/>
        <source>Totals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="160"/>
        <source>Positions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="166"/>
        <source>Positions of the selected client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="175"/>
        <source>Stress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="177"/>
        <source>Composition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="179"/>
        <source>Ratio history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="220"/>
        <source>Loading %1 clients…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="233"/>
        <source>TOTAL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="234"/>
        <source>%1 clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="257"/>
        <source>As of %1 · amounts in USD · margin call below %2 · liquidation below %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="324"/>
        <source>Positions: no client selected (or filtered out)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="335"/>
        <source>Positions of %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="356"/>
        <source>%1 %2 old (limit %3, %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="365"/>
        <source>⚠ Stale prices: %1. No attestation or top-up can be prepared on them: import a fresh snapshot (File → Import snapshot…, Ctrl+O).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="378"/>
        <source>Prices from %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="381"/>
        <source>No prices: import a snapshot (File → Import snapshot…, Ctrl+O).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KeysModel</name>
    <message>
        <location filename="../../app/ui/models/keys.py" line="15"/>
        <source>Officer key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/keys.py" line="16"/>
        <source>Multisig key (vault)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/keys.py" line="17"/>
        <source>Safe owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/keys.py" line="42"/>
        <source>%1&apos;s multisig key (%2&apos;s vault, address #0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/keys.py" line="47"/>
        <source>%1&apos;s Safe owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/keys.py" line="50"/>
        <source>officer %1&apos;s key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/keys.py" line="67"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/keys.py" line="72"/>
        <source>Officer or party</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/keys.py" line="77"/>
        <source>Address the device must show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/keys.py" line="82"/>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/keys.py" line="85"/>
        <source>Device fingerprint</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../app/ui/labels.py" line="16"/>
        <source>Healthy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="17"/>
        <source>Margin call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="18"/>
        <source>Liquidation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="19"/>
        <source>No exposure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="22"/>
        <source>Draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="23"/>
        <source>Awaiting approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="24"/>
        <source>Signing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="25"/>
        <source>Signed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="26"/>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="27"/>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="28"/>
        <location filename="../../app/ui/labels.py" line="36"/>
        <source>Expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="31"/>
        <source>Received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="32"/>
        <source>Acknowledged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="33"/>
        <source>Topped up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="34"/>
        <source>Escalated to liquidation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="35"/>
        <source>Liquidated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="39"/>
        <source>Regulator (VARA)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="40"/>
        <source>Custodian</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="41"/>
        <source>Exchange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="66"/>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="66"/>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="217"/>
        <source>Desk</source>
        <extracomment>Holdings, attestations, margin calls, emergency, devices, audit.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="311"/>
        <source>Custody Desk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="313"/>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="314"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="315"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="316"/>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="317"/>
        <source>Hel&amp;p</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="318"/>
        <source>&amp;Documentation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="319"/>
        <source>&amp;About Custody Desk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="320"/>
        <source>&amp;Import snapshot…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="321"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="322"/>
        <source>&amp;Actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="323"/>
        <source>&amp;Find client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="324"/>
        <source>Messa&amp;ges…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="325"/>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="330"/>
        <source>&amp;Holdings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="332"/>
        <source>&amp;Margin calls (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="334"/>
        <source>&amp;Margin calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="335"/>
        <source>&amp;Emergency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="336"/>
        <source>Dev&amp;ices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="533"/>
        <source>Signed, not committed</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="534"/>
        <source>%n signed act(s) could not be committed yet.</source>
        <translation>
            <numerusform>%n signed act could not be committed yet.</numerusform>
            <numerusform>%n signed acts could not be committed yet.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="540"/>
        <source>The store has not got the %n act(s) below: closing the window discards them and they must be signed again. Keep the window open and they are committed when the store is back.

%1</source>
        <translation>
            <numerusform>The store has not got the act below: closing the window discards it and it must be signed again. Keep the window open and it is committed when the store is back.

%1</numerusform>
            <numerusform>The store has not got the %n acts below: closing the window discards them and they must be signed again. Keep the window open and they are committed when the store is back.

%1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="545"/>
        <source>Keep the window open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="546"/>
        <source>Discard and close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="331"/>
        <source>A&amp;ttestations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="337"/>
        <source>A&amp;udit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="359"/>
        <source>⚠ TEST EMULATOR — NOT FOR PRODUCTION ⚠   signatures made here are test-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="361"/>
        <source>Test emulator warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="372"/>
        <source>Store: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="369"/>
        <source>⚠ connection lost, retrying: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="377"/>
        <source>Devices: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="379"/>
        <source>Devices: none found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="381"/>
        <source>Emulator: RUNNING (test only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="383"/>
        <source>Emulator: off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="390"/>
        <source>Import snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="390"/>
        <source>Snapshots (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="398"/>
        <source>Snapshot refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="414"/>
        <location filename="../../app/ui/main_window.py" line="415"/>
        <source>The action failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="421"/>
        <source>%1

Whatever the store had committed before the failure is kept; the desk&apos;s log has the details. Refresh (F5) and check before trying again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="461"/>
        <source>New margin call</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="462"/>
        <source>%n new margin call(s) need attention.</source>
        <translation>
            <numerusform>%n new margin call needs attention.</numerusform>
            <numerusform>%n new margin calls need attention.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MarginCallDetails</name>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="52"/>
        <source>Selected call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="67"/>
        <source>Client:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="68"/>
        <source>Call:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="69"/>
        <source>Status:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="70"/>
        <source>Received:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="71"/>
        <source>Deadline:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="72"/>
        <source>Time left:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="74"/>
        <source>Exchange shortfall (USD):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="75"/>
        <source>Exchange exposure (USD):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="76"/>
        <source>Ratio at the call:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="77"/>
        <source>Desk now:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="82"/>
        <source>Status history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="94"/>
        <source>Signed documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="107"/>
        <source>Liquidation waterfall (yield first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="114"/>
        <source>Waterfall preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="138"/>
        <source>Select a call to see its history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="151"/>
        <source>%1 (liquidation notice; the call said %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="156"/>
        <source>%1 (liquidation notice)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="159"/>
        <source>%1 (margin call)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="164"/>
        <source>ratio %1 · %2 (the desk&apos;s valuation, Holdings tab)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="174"/>
        <source>Not past the liquidation line: answer with a top-up, or escalate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="177"/>
        <source>Past the liquidation line, but nothing to sell.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="182"/>
        <source>Past the liquidation line: accrued yield is applied first, then assets in the pre-authorised order. Shortfall left after the waterfall: USD %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="199"/>
        <source>No recorded history for this call.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="208"/>
        <source>No signed documents yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="210"/>
        <source>Margin call (signed by the exchange)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="211"/>
        <source>Liquidation notice (exchange)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="212"/>
        <source>Top-up attestation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="213"/>
        <source>Liquidation instruction (custodian)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MarginCallsModel</name>
    <message>
        <location filename="../../app/ui/models/desk.py" line="203"/>
        <source>From the exchange&apos;s liquidation notice (the call said USD %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="207"/>
        <source>From the exchange&apos;s margin call.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="218"/>
        <source>Client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="223"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="228"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="234"/>
        <source>Deadline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="239"/>
        <source>Time left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="247"/>
        <source>Exchange shortfall (USD)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="260"/>
        <source>Ratio at the call</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="264"/>
        <source>The exchange&apos;s collateral ratio when it issued the call.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="269"/>
        <source>Desk ratio now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="273"/>
        <source>The desk&apos;s own valuation of the client now: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="254"/>
        <source>Exposure (USD)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MarginCallsView</name>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="46"/>
        <source>Ac&amp;knowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="49"/>
        <source>Answer with a &amp;top-up attestation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="52"/>
        <source>Liquidation &amp;waterfall…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="55"/>
        <source>&amp;Escalate to liquidation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="58"/>
        <source>Sign &amp;&amp; send top-up &amp;answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="61"/>
        <source>S&amp;ync with exchange</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="66"/>
        <source>Margin calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="70"/>
        <source>No margin calls from the exchange. New calls appear here with a desktop notification.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="74"/>
        <source>Filter calls…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="74"/>
        <source>Filter calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="80"/>
        <source>Time left turns amber within an hour of the deadline and red past it. Past the liquidation line, preview the waterfall and sign the pre-authorised instruction.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="167"/>
        <source>Cannot acknowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="178"/>
        <source>Cannot escalate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="192"/>
        <source>Top-up answer to margin call %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="209"/>
        <source>Exchange link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="216"/>
        <source>No exchange link is configured: File → Settings… → Exchange link (or custody-desk exchange-link --url).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="236"/>
        <source>Top-up attestation for %1 (your signature as its maker)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="249"/>
        <source>Top-up attestation %1 prepared for approval.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="273"/>
        <source>Liquidation instruction for %1, shortfall USD %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageLogDialog</name>
    <message>
        <location filename="../../app/ui/message_log.py" line="140"/>
        <location filename="../../app/ui/message_log.py" line="146"/>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NoticeButton</name>
    <message>
        <location filename="../../app/ui/message_log.py" line="107"/>
        <source>(%1 unread) %2</source>
        <extracomment>Kept in memory for the session; the audit log is the durable record.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/message_log.py" line="114"/>
        <source>Unread messages</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OfficersModel</name>
    <message>
        <location filename="../../app/ui/models/registry.py" line="202"/>
        <source>Officer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="205"/>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="208"/>
        <source>Key fingerprint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="213"/>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="218"/>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="25"/>
        <source>Passphrase for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="29"/>
        <source>The device asks for its passphrase. A different passphrase opens a different key, which the desk will refuse as not the officer&apos;s registered key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="38"/>
        <source>Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="41"/>
        <source>Passphrase again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="42"/>
        <source>&amp;Passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="43"/>
        <source>&amp;Again:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="45"/>
        <source>&amp;Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="48"/>
        <source>The two entries differ.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PinMatrixDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/pin_matrix.py" line="30"/>
        <source>Enter the PIN of %1</source>
        <extracomment>Keypad layout: the digit each button sends is its position on a numeric keypad.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/pin_matrix.py" line="34"/>
        <source>Look at the device: it shows the digits in a scrambled order. Click the positions of your PIN&apos;s digits here (or use the numeric keypad).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/pin_matrix.py" line="43"/>
        <source>PIN positions entered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/pin_matrix.py" line="51"/>
        <source>Keypad position %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/pin_matrix.py" line="57"/>
        <source>⌫ Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/pin_matrix.py" line="65"/>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PositionsModel</name>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="190"/>
        <source>On-chain vault: {0} {1}, as in the snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="193"/>
        <source>On-chain vault: {0} {1}, the snapshot says {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="218"/>
        <source>%1 old: as of %2 from %3; limit %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="225"/>
        <source>STALE: no attestation on it until a fresh snapshot is imported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="240"/>
        <source>Asset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="243"/>
        <source>Quantity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="249"/>
        <source>The snapshot&apos;s quantity; for BTC, flagged when the client&apos;s on-chain 2-of-3 vault (imported UTXOs) holds a different amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="256"/>
        <source>Price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="262"/>
        <source>Each price&apos;s age and source are in its tooltip and above the clients; past its limit (1 h for BTC, 24 h for fund NAVs and stablecoins) it is STALE (⚠, red)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="270"/>
        <source>Market value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="282"/>
        <source>Collateral value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="288"/>
        <source>Accrued yield</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="294"/>
        <source>Redemption lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="299"/>
        <source>Quantity locked in the custodian&apos;s contract for redemption (fiat settles within 24 hours)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="276"/>
        <source>Collateral factor</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProofsModel</name>
    <message>
        <location filename="../../app/ui/models/desk.py" line="122"/>
        <source>Client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="127"/>
        <source>Leaf</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="133"/>
        <source>Collateral value (USD)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="139"/>
        <source>Proof length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="145"/>
        <source>Verified</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueueView</name>
    <message>
        <location filename="../../app/ui/views/queue_view.py" line="153"/>
        <source>No signing device found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/queue_view.py" line="153"/>
        <source>No device</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RatioHistoryChart</name>
    <message>
        <location filename="../../app/ui/views/charts.py" line="76"/>
        <location filename="../../app/ui/views/charts.py" line="77"/>
        <source>Collateral ratio over time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/charts.py" line="118"/>
        <source>Collateral ratio of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/charts.py" line="80"/>
        <source>Collateral ratio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/charts.py" line="83"/>
        <source>Margin-call line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/charts.py" line="84"/>
        <source>Liquidation line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/charts.py" line="88"/>
        <source>UTC</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RatioHistorySlot</name>
    <message>
        <location filename="../../app/ui/views/chart_slots.py" line="98"/>
        <source>Select a client to see its collateral ratio over time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/chart_slots.py" line="119"/>
        <source>%1 has no exposure in any stored snapshot: there is no collateral ratio to chart.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/chart_slots.py" line="124"/>
        <source>Only one snapshot so far for %1: collateral ratio %2 at %3. A history appears once a second snapshot is imported.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RegisterOfficerDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="26"/>
        <source>custody officer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="27"/>
        <source>senior custody officer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="28"/>
        <source>head of custody</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="39"/>
        <source>Register an officer&apos;s key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="44"/>
        <source>The officer&apos;s public key is read from their own device; from then on only a signature by that key counts as that officer&apos;s approval.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="52"/>
        <source>Officer name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="57"/>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="59"/>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="63"/>
        <source>Key path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="64"/>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="65"/>
        <source>&amp;Role:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="66"/>
        <source>&amp;Device:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="67"/>
        <source>Key &amp;path:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="73"/>
        <source>Read key and &amp;register</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RejectAttestationDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/reject_attestation.py" line="24"/>
        <source>Reject attestation %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/reject_attestation.py" line="29"/>
        <source>The attestation will not be signed. Say why: the reason goes to the audit log and to the officer who prepared it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/reject_attestation.py" line="36"/>
        <source>Reason for rejecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/reject_attestation.py" line="38"/>
        <source>&amp;Reject</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReplaceShareDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/replace_share.py" line="23"/>
        <source>Replace the custodian&apos;s share of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/replace_share.py" line="28"/>
        <source>The custodian already signed order %1 with key %2. A new signature from your device replaces that share; the replacement, both keys and your reason go to the audit log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/replace_share.py" line="38"/>
        <source>Reason for replacing the share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/replace_share.py" line="40"/>
        <source>Re&amp;place the share</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="51"/>
        <source>The desk window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="52"/>
        <source>Workflows: attest, calls, emergency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="53"/>
        <source>Security and keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="54"/>
        <source>The exchange link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="55"/>
        <source>The store, backup and restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="56"/>
        <source>Valuation rules, price freshness</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="60"/>
        <source>production</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="61"/>
        <source>development</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="69"/>
        <source>Desk settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="109"/>
        <source>https://exchange.example/api or a drop folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="111"/>
        <source>Exchange link:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="113"/>
        <source>CA bundle (PEM):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="114"/>
        <source>Client certificate (mutual TLS):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="115"/>
        <source>Client key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="119"/>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="123"/>
        <source>Save exchange link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="129"/>
        <source>An https:// link is verified against the CA bundle (else the system&apos;s CAs); a client certificate and key enable mutual TLS. A folder path is a drop-folder link. Saved settings are audited.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="136"/>
        <source>Exchange link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="141"/>
        <source>Choose a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="162"/>
        <source>Exchange link not saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="164"/>
        <source>Exchange link saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="174"/>
        <source>Party</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="174"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="174"/>
        <source>Key id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="174"/>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="175"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="183"/>
        <source>Revoke selected key…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="186"/>
        <source>Export keys file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="194"/>
        <source>Officers&apos; keys are added from their device (Devices → Register officer key). A revoked key&apos;s signatures never count again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="203"/>
        <source>Keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="214"/>
        <source>active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="214"/>
        <source>revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="217"/>
        <source>Multisig account key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="219"/>
        <source>(TEST)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="221"/>
        <source>Safe owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="237"/>
        <source>officer (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="248"/>
        <source>A multisig account key or Safe owner is not revoked here: a Safe owner is replaced by recording the party&apos;s new address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="269"/>
        <source>Revoke a key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="270"/>
        <source>Revoke %1&apos;s key %2 (%3)?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="274"/>
        <source>&amp;Revoke key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="276"/>
        <source>From now on its signatures never count: attestations, emergency shares and answers signed with it are refused. This cannot be undone; the audit log records it as revoked by %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="286"/>
        <source>Not revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="296"/>
        <source>Export keys file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="303"/>
        <source>Keys file exported to %1 (%2 bytes).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="313"/>
        <source>Back up the store…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="315"/>
        <source>Restore from a backup…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="321"/>
        <source>A backup is a consistent copy of the whole store (checked after writing). Restoring keeps the current store beside it; the window then shows the restored store (sign in again if your session is not in it). Both are audited.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="362"/>
        <source>Everything recorded since that backup is replaced (the current store is kept beside it). The window then shows the restored store.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="374"/>
        <source>Restored from %1. The previous store is kept as %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="330"/>
        <source>Backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="335"/>
        <source>Back up the store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="343"/>
        <source>Backup failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="345"/>
        <source>Store backed up to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="351"/>
        <source>Restore from a backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="358"/>
        <source>Restore the store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="359"/>
        <source>Replace the desk&apos;s store with the backup %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="360"/>
        <source>&amp;Restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="371"/>
        <source>Restore refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="389"/>
        <source>Store in use:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="393"/>
        <source>Another store is chosen at start-up: custody-desk --data-dir DIR, or the CUSTODY_DESK_DATA_DIR environment variable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="398"/>
        <source>Store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="405"/>
        <source>Custody Desk %1 (%2 build) · Python %3 · %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="414"/>
        <source>Licence notices of the components shipped:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="421"/>
        <source>About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="433"/>
        <source>The documentation is not installed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="440"/>
        <source>Help</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignedDocumentsBar</name>
    <message>
        <location filename="../../app/ui/views/signed_documents.py" line="31"/>
        <source>Signed documents:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/signed_documents.py" line="33"/>
        <source>Signed reconciliation reports and checkpoints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/signed_documents.py" line="37"/>
        <source>Export document…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/signed_documents.py" line="39"/>
        <source>Copy audit root</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/signed_documents.py" line="41"/>
        <source>Audit root</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/signed_documents.py" line="43"/>
        <source>Copy signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/signed_documents.py" line="45"/>
        <source>Signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/signed_documents.py" line="107"/>
        <source>Export signed document</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SigninBar</name>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="56"/>
        <source>Sign in to act at this desk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="57"/>
        <source>Switching officer: the next officer signs in on their device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="58"/>
        <source>The desk was locked. Sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="59"/>
        <source>The desk locked itself after being idle. Sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="60"/>
        <source>Your session expired. Sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="61"/>
        <source>Signed out. The next officer signs in here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="62"/>
        <source>Sign-in refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="63"/>
        <source>No signing device found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="65"/>
        <source>The store was restored from a backup that does not hold your session. Sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="102"/>
        <source>Nobody signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="103"/>
        <source>Not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="104"/>
        <source>&amp;Sign in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="106"/>
        <source>(TEST)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="109"/>
        <source>Signed in: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="111"/>
        <source>Signed in: %1 until %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="116"/>
        <source>&amp;Switch officer…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="121"/>
        <source>&amp;Lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="122"/>
        <source>Lock the desk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="123"/>
        <source>Sign &amp;out</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SigninController</name>
    <message>
        <location filename="../../app/ui/signin/controller.py" line="87"/>
        <source>No signing device found: plug in your device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/controller.py" line="93"/>
        <source>Sign in as %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SigninDialog</name>
    <message>
        <location filename="../../app/ui/signin/dialog.py" line="37"/>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/dialog.py" line="46"/>
        <source>Your own registered device will show a one-time sign-in challenge (CDESK-SIGNIN/1 … officer, workstation, expiry). Approve it there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/dialog.py" line="55"/>
        <source>Officer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/dialog.py" line="57"/>
        <source>(TEST)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/dialog.py" line="62"/>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/dialog.py" line="68"/>
        <source>&amp;Officer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/dialog.py" line="69"/>
        <source>&amp;Device:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/dialog.py" line="77"/>
        <source>&amp;Sign in on the device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/dialog.py" line="87"/>
        <source>No registered officer yet: register one on the Devices tab.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/dialog.py" line="89"/>
        <source>No signing device found: plug in your device.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SigningErrors</name>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="14"/>
        <source>No signing device found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="15"/>
        <source>Plug the device in and unlock it. On Linux install the udev rules from packaging/udev, and close any other app (a wallet, a browser tab) that holds it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="22"/>
        <source>This is not the officer&apos;s registered device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="23"/>
        <source>Its key fingerprint does not match the key registered for the officer on duty. Plug in the officer&apos;s own device, or change the officer on duty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="30"/>
        <source>The device is busy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="31"/>
        <source>Another request or another app is using it. Finish or close that, then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="37"/>
        <source>The device is locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="38"/>
        <source>Unlock it with its PIN and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="41"/>
        <source>Wrong PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="42"/>
        <source>Nothing was signed. The device counts failed attempts and wipes itself after too many: check the digits on the device before trying again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="49"/>
        <source>Rejected on the device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="50"/>
        <source>Nothing was signed. If the text on the device differed from the desk&apos;s, report it to security before trying again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="57"/>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="58"/>
        <source>The request was cancelled. Nothing was signed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="61"/>
        <source>The device was disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="62"/>
        <source>Nothing was signed. Reconnect the device and start again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="67"/>
        <source>The device did not answer in time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="68"/>
        <source>Check that it is awake and unlocked, then retry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="71"/>
        <source>The device sent something unexpected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="72"/>
        <source>Reconnect it and retry; if it persists, update its firmware.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="77"/>
        <source>The device cannot do this</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="78"/>
        <source>Use a device that can sign messages.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="81"/>
        <source>The statement cannot be shown whole on the device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="82"/>
        <source>It must be one line of printable ASCII of at most 240 characters. Report this to the desk&apos;s administrators.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="89"/>
        <source>The signature did not verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="90"/>
        <source>Nothing was stored as signed. The device signed with a key that is not the officer&apos;s registered key (another passphrase or device?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="97"/>
        <source>Invalid request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="98"/>
        <source>Check the device address and key path.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="101"/>
        <source>Refused by policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="102"/>
        <source>The desk&apos;s policy does not allow this signature here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SigningFlow</name>
    <message>
        <location filename="../../app/ui/signing_flow.py" line="47"/>
        <source>Device answered; checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_flow.py" line="69"/>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_flow.py" line="70"/>
        <source>The request was cancelled. Nothing was signed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_flow.py" line="86"/>
        <source>Refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_flow.py" line="111"/>
        <source>The device shows the statement: approve or reject it there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_flow.py" line="117"/>
        <source>Enter the PIN on the device.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StressModel</name>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="326"/>
        <source>Client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="331"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="334"/>
        <source>Ratio now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="338"/>
        <source>Collateral ratio now, coloured by the state now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="345"/>
        <source>After shock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="349"/>
        <source>Collateral ratio after the shock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="353"/>
        <source>State now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="359"/>
        <source>State after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="370"/>
        <source>Shortfall (USD)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StressPanel</name>
    <message>
        <location filename="../../app/ui/views/stress_panel.py" line="53"/>
        <source>BTC −25%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/stress_panel.py" line="54"/>
        <source>Alt+B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/stress_panel.py" line="57"/>
        <source>USDC depeg to 0.97</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/stress_panel.py" line="60"/>
        <source>Reset shocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/stress_panel.py" line="74"/>
        <source>Stress results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/stress_panel.py" line="98"/>
        <source>Price shock for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/stress_panel.py" line="101"/>
        <source>%1 price change:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/stress_panel.py" line="135"/>
        <source>Computing the shock…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/stress_panel.py" line="148"/>
        <source>The shock could not be computed (see the log).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/views/stress_panel.py" line="164"/>
        <source>No shock applied: set a price change to see who crosses a line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/views/stress_panel.py" line="172"/>
        <source>%n client(s) would cross a line: %2. Total shortfall USD %3.</source>
        <translation>
            <numerusform>%n client would cross a line: %2. Total shortfall USD %3.</numerusform>
            <numerusform>%n clients would cross a line: %2. Total shortfall USD %3.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/views/stress_panel.py" line="182"/>
        <source>No client crosses a line under this shock. Total shortfall USD %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WaterfallDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/waterfall.py" line="25"/>
        <source>Liquidation waterfall — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/waterfall.py" line="30"/>
        <source>Shortfall USD %1. Accrued yield is applied first, then assets in the client&apos;s pre-authorised order, never more than needed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/waterfall.py" line="38"/>
        <source>Waterfall steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/waterfall.py" line="43"/>
        <source>Shortfall left after the waterfall: USD %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/waterfall.py" line="48"/>
        <source>&amp;Sign liquidation instruction</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WaterfallModel</name>
    <message>
        <location filename="../../app/ui/models/desk.py" line="297"/>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="303"/>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="308"/>
        <source>Quantity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="314"/>
        <source>Covers (USD)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="320"/>
        <source>Shortfall left (USD)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
