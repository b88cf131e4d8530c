<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AddPartyKeyBox</name>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="71"/>
        <source>Add a party key</source>
        <translation>添加参与方密钥</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="51"/>
        <source>Regulator</source>
        <translation>监管方</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="52"/>
        <source>Exchange</source>
        <translation>交易所</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="87"/>
        <source>Emergency orders</source>
        <translation>紧急指令</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="88"/>
        <source>Exchange documents</source>
        <translation>交易所文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="90"/>
        <source>optional, e.g. regulator-emergency</source>
        <translation>可选，例如 regulator-emergency</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="93"/>
        <source>Read from a device</source>
        <translation>从设备读取</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="95"/>
        <source>33-byte compressed key, 66 hex digits</source>
        <translation>33 字节压缩公钥，66 位十六进制</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="148"/>
        <source>optional: checked against the key</source>
        <translation>可选：将与公钥核对</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="101"/>
        <source>optional: 8 hex digits of the device</source>
        <translation>可选：设备的 8 位十六进制指纹</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="50"/>
        <source>Custodian</source>
        <translation>托管方</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="81"/>
        <source>Statement key (emergency orders, exchange documents)</source>
        <translation>声明密钥（紧急指令、交易所文件）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="83"/>
        <source>Bitcoin multisig account key (vault)</source>
        <translation>比特币多签账户密钥（金库）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="84"/>
        <source>Safe owner address (tokenized assets)</source>
        <translation>Safe 所有者地址（代币化资产）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="92"/>
        <source>Paste the key</source>
        <translation>粘贴密钥</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="98"/>
        <source>[fingerprint/48h/1h/0h/2h]tpub… (with its origin)</source>
        <translation>[指纹/48h/1h/0h/2h]tpub…（含密钥来源）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="114"/>
        <source>Public key:</source>
        <translation>公钥：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="115"/>
        <source>Account key:</source>
        <translation>账户密钥：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="116"/>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="117"/>
        <source>Device fingerprint:</source>
        <translation>设备指纹：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="118"/>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="119"/>
        <source>Path:</source>
        <translation>路径：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="105"/>
        <source>Add key</source>
        <translation>添加密钥</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="108"/>
        <source>Kind:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="109"/>
        <source>Party:</source>
        <translation>参与方：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="110"/>
        <source>Role:</source>
        <translation>用途：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="111"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="112"/>
        <source>Source:</source>
        <translation>来源：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="149"/>
        <source>0x… (EIP-55 checksum checked)</source>
        <translation>0x…（校验 EIP-55 校验和）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="180"/>
        <source>No device is connected.</source>
        <translation>未连接设备。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="185"/>
        <source>Reading the public key at %1</source>
        <translation>正在读取 %1 处的公钥</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="186"/>
        <source>Reading the multisig account key at %1</source>
        <translation>正在读取 %1 处的多签账户密钥</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="187"/>
        <source>Reading the Safe owner address at %1</source>
        <translation>正在读取 %1 处的 Safe 所有者地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="205"/>
        <source>%1&apos;s key %2 added.</source>
        <translation>已添加 %1 的密钥 %2。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="206"/>
        <source>%1&apos;s multisig account key %2 added.</source>
        <translation>已添加%1的多签账户密钥 %2。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="207"/>
        <source>%1&apos;s Safe owner %2 recorded.</source>
        <translation>已记录%1的 Safe 所有者 %2。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/party_key_form.py" line="249"/>
        <source>Key not added</source>
        <translation>密钥未添加</translation>
    </message>
</context>
<context>
    <name>AttestationsModel</name>
    <message>
        <location filename="../../app/ui/models/desk.py" line="57"/>
        <source>Seq</source>
        <extracomment>A call this close to its deadline turns amber.</extracomment>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="63"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="69"/>
        <source>Clients</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="74"/>
        <source>Collateral value (USD)</source>
        <translation>抵押价值 (USD)</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="80"/>
        <source>As of</source>
        <translation>截至</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="85"/>
        <source>Expires</source>
        <translation>到期</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="90"/>
        <source>Prepared by</source>
        <translation>制单人</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="95"/>
        <source>Approved by</source>
        <translation>审批人</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="100"/>
        <source>Root</source>
        <translation>根哈希</translation>
    </message>
</context>
<context>
    <name>AttestationsView</name>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="74"/>
        <source>&amp;Prepare from selected clients</source>
        <translation>从所选客户编制(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="77"/>
        <source>Approve &amp;&amp; &amp;sign on device</source>
        <translation>审批并在设备上签名(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="80"/>
        <source>&amp;Verify selected proof</source>
        <translation>验证所选证明(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="83"/>
        <source>Verify &amp;all proofs</source>
        <translation>验证全部证明(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="87"/>
        <source>Re&amp;ject…</source>
        <translation>拒绝(&amp;J)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="90"/>
        <source>Send to e&amp;xchange</source>
        <translation>发送至交易所(&amp;X)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="94"/>
        <source>Abandon signing…</source>
        <translation>放弃签名…</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="99"/>
        <source>Attestation queue</source>
        <translation>证明队列</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="103"/>
        <source>No attestations yet. Select eligible clients on the Holdings tab, then Prepare (Ctrl+Shift+P).</source>
        <translation>尚无证明。请在“持仓”页选择合格客户，然后编制 (Ctrl+Shift+P)。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="108"/>
        <source>Filter attestations…</source>
        <translation>筛选证明…</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="108"/>
        <source>Filter attestations</source>
        <translation>筛选证明</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="139"/>
        <source>Statement — exactly as the device will show it</source>
        <translation>声明 — 与设备显示完全一致</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="144"/>
        <source>Statement text</source>
        <translation>声明文本</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="163"/>
        <source>Root:</source>
        <translation>根哈希：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="164"/>
        <source>Totals:</source>
        <translation>合计：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="165"/>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="166"/>
        <source>Signature:</source>
        <translation>签名：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="169"/>
        <source>Export signed &amp;bundle…</source>
        <translation>导出已签名证明包(&amp;B)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="172"/>
        <source>Copy root</source>
        <translation>复制根哈希</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="174"/>
        <source>Root</source>
        <translation>根哈希</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="176"/>
        <source>Copy signature</source>
        <translation>复制签名</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="179"/>
        <source>Signature</source>
        <translation>签名</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="192"/>
        <location filename="../../app/ui/views/attestations_view.py" line="195"/>
        <source>Inclusion proofs</source>
        <translation>包含证明</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="271"/>
        <source>Pick the officer on duty (toolbar) to prepare or approve.</source>
        <translation>请先在工具栏选择当班官员，再编制或审批。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="275"/>
        <source>You prepared this attestation: a different officer must approve and sign it.</source>
        <translation>此证明由您编制：必须由另一位官员审批并签名。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="286"/>
        <source>Prepare will attest: %1 (selected on the Holdings tab).</source>
        <translation>编制将证明：%1（在“持仓”页所选）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="291"/>
        <source>No client selected on the Holdings tab.</source>
        <translation>“持仓”页未选择客户。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="312"/>
        <location filename="../../app/ui/views/attestations_view.py" line="336"/>
        <source>Prepare attestation</source>
        <translation>编制证明</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="313"/>
        <source>Select one or more clients on the Holdings tab first.</source>
        <translation>请先在&quot;持仓&quot;页选择一个或多个客户。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="319"/>
        <source>Duplicate attestation</source>
        <translation>重复的证明</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="320"/>
        <source>Attestation %1 (%2) already attests %3 with the same collateral.</source>
        <translation>证明 %1（%2）已以相同抵押证明 %3。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="324"/>
        <source>Prepare a duplicate</source>
        <translation>仍编制重复证明</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="326"/>
        <source>Nothing changed since: a new one would attest the same figures again. Import a fresh snapshot first, or cancel.</source>
        <translation>此后没有任何变化：新的证明将再次证明相同的数字。请先导入新的快照，或取消。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="337"/>
        <source>Plug in your own device: it signs what you prepare (prepared-by).</source>
        <translation>请插入您自己的设备：它将签署您编制的内容（编制人签名）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="342"/>
        <source>Prepare attestation (your signature as its maker)</source>
        <translation>编制证明（以编制人身份签名）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="354"/>
        <source>Attestation %1 prepared: awaiting a second officer&apos;s approval.</source>
        <translation>证明 %1 已编制：等待第二位官员审批。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="380"/>
        <source>USD %1 collateral value; %2</source>
        <translation>抵押价值 USD %1；%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="389"/>
        <source>%1 by %2 at %3 — reason: %4</source>
        <translation>%1，由 %2 于 %3 拒绝 — 原因：%4</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="393"/>
        <source>(none given)</source>
        <translation>（未填写）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="446"/>
        <source>Cannot reject</source>
        <translation>无法拒绝</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="457"/>
        <source>Send to the exchange</source>
        <translation>发送至交易所</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="458"/>
        <source>Send attestation %1 (%2) to the exchange?</source>
        <translation>将证明 %1（%2）发送至交易所？</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="461"/>
        <source>&amp;Send to exchange</source>
        <translation>发送至交易所(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="463"/>
        <source>The exchange books each client&apos;s credit line from it (USD %1 collateral). A sent attestation cannot be recalled. Sent by %2.</source>
        <translation>交易所将据此登记每位客户的授信额度（抵押 USD %1）。已发送的证明无法撤回。发送人：%2。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="473"/>
        <source>Not sent</source>
        <translation>未发送</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="478"/>
        <source>Queued for the exchange; no exchange link is configured (custody-desk exchange-link --url).</source>
        <translation>已排队等待发送至交易所；尚未配置交易所链接（custody-desk exchange-link --url）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="495"/>
        <source>Abandon signing</source>
        <translation>放弃签名</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="496"/>
        <source>Abandon the signing of attestation %1 (%2)?</source>
        <translation>放弃证明 %1（%2）的签名？</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="499"/>
        <source>A&amp;bandon signing</source>
        <translation>放弃签名(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="501"/>
        <source>Its signing was started and never finished (the desk that asked the device stopped). Nothing was signed: it returns to awaiting approval, and a second officer can approve or reject it again. On a shared desk, make sure no other officer is signing it now. The audit log records it as abandoned by %1.</source>
        <translation>其签名已开始但从未完成（请求设备签名的工作台已停止）。没有任何内容被签名：它将回到待审批状态，第二位官员可以再次批准或拒绝。在共享工作台上，请确认此刻没有其他官员正在签名。审计日志将记录为由 %1 放弃。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="513"/>
        <source>Signing not abandoned</source>
        <translation>未放弃签名</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="516"/>
        <source>Attestation %1 is awaiting approval again.</source>
        <translation>证明 %1 已重新等待审批。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="530"/>
        <source>Export signed bundle</source>
        <translation>导出已签名证明包</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="548"/>
        <source>%1 prepared this attestation and cannot approve it: a different officer must approve and sign (maker-checker).</source>
        <translation>%1 编制了此证明，不能自行审批：必须由另一位官员审批并签名（制单/复核分离）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="553"/>
        <source>Approval refused</source>
        <translation>审批被拒绝</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="561"/>
        <source>No signing device found. Plug in your device (see the Devices tab).</source>
        <translation>未找到签名设备。请插入您的设备（见&quot;设备&quot;页）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="563"/>
        <source>No device</source>
        <translation>无设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/attestations_view.py" line="578"/>
        <source>Attestation %1 signed and verified.</source>
        <translation>证明 %1 已签名并验证。</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <location filename="../../app/ui/models/registry.py" line="238"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="241"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="244"/>
        <source>Actor</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="247"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="256"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="250"/>
        <source>Entry hash</source>
        <translation>条目哈希</translation>
    </message>
</context>
<context>
    <name>AuditView</name>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="32"/>
        <source>&amp;Verify chain and checkpoints</source>
        <translation>验证哈希链与检查点(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="35"/>
        <source>Export &amp;CSV…</source>
        <translation>导出 CSV(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="38"/>
        <source>Take a chec&amp;kpoint</source>
        <translation>建立检查点(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="49"/>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="52"/>
        <source>Filter: actor, action, details…</source>
        <translation>筛选：操作人、操作、详情…</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="52"/>
        <source>Filter</source>
        <translation>筛选</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="55"/>
        <source>Filter by action</source>
        <translation>按操作筛选</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="87"/>
        <source>All actions</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="123"/>
        <source>last checkpoint at entry %1 verified</source>
        <translation>最近检查点（第 %1 条）已验证</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="127"/>
        <source>no checkpoint yet</source>
        <translation>尚无检查点</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="129"/>
        <source>✔ Chain intact: %1 entries; %2.</source>
        <translation>✔ 哈希链完整：%1 条记录；%2。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="134"/>
        <source>✘ AUDIT LOG TAMPERED OR DAMAGED: %1</source>
        <translation>✘ 审计日志被篡改或损坏：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="142"/>
        <source>Checkpoint taken over %1 entries.</source>
        <translation>已对 %1 条记录建立检查点。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="150"/>
        <source>Export audit log</source>
        <translation>导出审计日志</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/audit_view.py" line="157"/>
        <source>%1 entries exported to %2</source>
        <translation>已导出 %1 条记录到 %2</translation>
    </message>
</context>
<context>
    <name>ClientsModel</name>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="34"/>
        <source>crossed</source>
        <translation>已越线</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="69"/>
        <source>exchange: liquidation</source>
        <translation>交易所：强平</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="71"/>
        <source>exchange: margin call</source>
        <translation>交易所：追加保证金</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="76"/>
        <source>INELIGIBLE</source>
        <translation>不合格</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="83"/>
        <source>Not eligible for the pilot: no attestation can be prepared.</source>
        <translation>不符合试点资格：不能为其准备证明。</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="113"/>
        <source>Client</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="118"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="123"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="134"/>
        <source>Collateral ratio</source>
        <translation>抵押率</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="141"/>
        <source>To margin call</source>
        <translation>距追加保证金线</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="146"/>
        <source>How far collateral value may fall before the margin-call line</source>
        <translation>抵押价值在触及追加保证金线前还可下跌的幅度</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="151"/>
        <source>To liquidation</source>
        <translation>距强平线</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="157"/>
        <source>Market value</source>
        <translation>市值</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="159"/>
        <source>Collateral value</source>
        <translation>抵押价值</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="162"/>
        <source>Credit line</source>
        <translation>信用额度</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="163"/>
        <source>Exposure</source>
        <translation>敞口</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="165"/>
        <source>Eligible</source>
        <translation>合格</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="397"/>
        <source>MC %1 · LIQ %2</source>
        <translation>追加 %1 · 强平 %2</translation>
    </message>
</context>
<context>
    <name>CompositionChart</name>
    <message>
        <location filename="../../app/ui/views/charts.py" line="48"/>
        <source>Composition by asset</source>
        <translation>按资产构成</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/charts.py" line="49"/>
        <source>Desk collateral by asset</source>
        <translation>全台抵押按资产分布</translation>
    </message>
</context>
<context>
    <name>CompositionSlot</name>
    <message>
        <location filename="../../app/ui/views/chart_slots.py" line="36"/>
        <source>Composition of</source>
        <translation>构成范围</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/chart_slots.py" line="37"/>
        <source>Whole desk</source>
        <translation>全台</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/chart_slots.py" line="38"/>
        <source>Selected client</source>
        <translation>所选客户</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/chart_slots.py" line="60"/>
        <source>No client selected</source>
        <translation>未选择客户</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/chart_slots.py" line="62"/>
        <source>Collateral of %1 by asset</source>
        <translation>%1 的抵押按资产分布</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/chart_slots.py" line="65"/>
        <source>Desk collateral by asset</source>
        <translation>全台抵押按资产分布</translation>
    </message>
</context>
<context>
    <name>ConfirmOnDeviceDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/confirm_on_device.py" line="27"/>
        <location filename="../../app/ui/dialogs/confirm_on_device.py" line="30"/>
        <source>Confirm on your %1</source>
        <translation>请在您的 %1 上确认</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/confirm_on_device.py" line="38"/>
        <source>Check that the device shows exactly the text below, character for character, then approve on the device. If anything differs, reject it on the device.</source>
        <translation>请逐字核对设备显示的文本与下方完全一致，然后在设备上批准。如有任何不同，请在设备上拒绝。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/confirm_on_device.py" line="47"/>
        <source>Statement being signed</source>
        <translation>正在签名的声明</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/confirm_on_device.py" line="54"/>
        <source>Waiting for the device…</source>
        <translation>等待设备…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/confirm_on_device.py" line="64"/>
        <source>Cancel the device request</source>
        <translation>取消设备请求</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/confirm_on_device.py" line="74"/>
        <source>Cancelling on the device…</source>
        <translation>正在取消设备操作…</translation>
    </message>
</context>
<context>
    <name>CreateOrderDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/create_order.py" line="30"/>
        <source>New emergency unfreeze order</source>
        <translation>新建紧急解冻指令</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/create_order.py" line="35"/>
        <source>Any two of regulator, custodian and exchange can unfreeze a client&apos;s assets within 48 hours. The custodian&apos;s share is signed on the officer&apos;s device.</source>
        <translation>监管方、托管方、交易所中任意两方可在 48 小时内解冻客户资产。托管方份额在官员设备上签名。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/create_order.py" line="44"/>
        <source>Client</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/create_order.py" line="46"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/create_order.py" line="47"/>
        <source>Why the assets must be unfrozen (printable ASCII)</source>
        <translation>必须解冻资产的原因（可打印 ASCII）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/create_order.py" line="48"/>
        <source>&amp;Client:</source>
        <translation>客户(&amp;C)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/create_order.py" line="49"/>
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/create_order.py" line="58"/>
        <source>C&amp;reate order</source>
        <translation>创建指令(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/create_order.py" line="66"/>
        <source>Character %1 (%2) cannot be shown on a signing device: write the reason in printable ASCII (letters a-z, digits, punctuation).</source>
        <translation>第 %1 个字符（%2）无法在签名设备上显示：请用可打印 ASCII 字符（英文字母、数字、标点）填写原因。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/create_order.py" line="72"/>
        <source>The reason is %1 characters: a signing device shows at most %2 of it, and fewer for an order of several assets or an on-chain order.</source>
        <translation>理由共 %1 个字符：签名设备最多显示 %2 个，对于包含多种资产的指令或链上指令则更少。</translation>
    </message>
</context>
<context>
    <name>DeskApp</name>
    <message>
        <location filename="../../app/ui/main.py" line="144"/>
        <source>The desk now shows the store restored from %1.</source>
        <translation>工作台现显示从 %1 恢复的存储。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main.py" line="148"/>
        <source>Your session is not in it: sign in again.</source>
        <translation>其中没有您的会话：请重新登录。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main.py" line="152"/>
        <source>Store restored</source>
        <translation>存储已恢复</translation>
    </message>
</context>
<context>
    <name>DevicesModel</name>
    <message>
        <location filename="../../app/ui/models/registry.py" line="151"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="155"/>
        <source>  [TEST EMULATOR]</source>
        <translation>  [测试模拟器]</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="164"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="167"/>
        <source>Transport</source>
        <translation>传输</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="172"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="175"/>
        <source>Fingerprint</source>
        <translation>指纹</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="180"/>
        <source>Officer</source>
        <translation>官员</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="181"/>
        <source>not registered</source>
        <translation>未登记</translation>
    </message>
</context>
<context>
    <name>DevicesView</name>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="46"/>
        <source>&amp;Scan for devices</source>
        <translation>扫描设备(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="49"/>
        <source>&amp;Register officer key…</source>
        <translation>登记官员密钥(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="52"/>
        <source>Identify &amp;&amp; check &amp;key</source>
        <translation>识别并核对密钥(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="56"/>
        <source>Open the selected device: model, firmware, label and fingerprint, and read back the registered officer&apos;s key to check it is the one registered</source>
        <translation>打开所选设备：型号、固件、标签和指纹，并读回已登记官员的密钥以核对是否一致</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="61"/>
        <source>Sho&amp;w address on device</source>
        <translation>在设备上显示地址(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="65"/>
        <source>Have the selected device derive the selected registered key&apos;s address and show it on its own screen; the desk compares it with the registered address</source>
        <translation>让所选设备自行推导所选已登记密钥的地址并显示在其屏幕上；系统将其与已登记的地址进行比对</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="72"/>
        <location filename="../../app/ui/views/devices_view.py" line="168"/>
        <source>Start test &amp;emulator</source>
        <translation>启动测试模拟器(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="74"/>
        <source>Start &amp;another test emulator</source>
        <translation>再启动一个测试模拟器(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="77"/>
        <source>One more emulator on the next public test seed: a device for one more officer</source>
        <translation>使用下一个公开测试种子再启动一个模拟器：为另一名人员提供设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="79"/>
        <source>Ask on the emulator &amp;screen</source>
        <translation>在模拟器屏幕上确认(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="84"/>
        <source>Off: test emulators approve automatically. On: each emulator shows the statement on its device screen and waits for Approve or Reject.</source>
        <translation>关闭：测试模拟器自动批准。开启：每个模拟器在其设备屏幕上显示声明，并等待“批准”或“拒绝”。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="93"/>
        <location filename="../../app/ui/views/devices_view.py" line="96"/>
        <source>Detected devices</source>
        <translation>检测到的设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="98"/>
        <source>No signing device found (see the hints below).</source>
        <translation>未找到签名设备（见下方提示）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="110"/>
        <location filename="../../app/ui/views/devices_view.py" line="113"/>
        <source>Registered officers</source>
        <translation>已登记官员</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="117"/>
        <source>No officer registered yet. Register officer key (Ctrl+Shift+R) reads it from their device.</source>
        <translation>尚未登记官员。“登记官员密钥” (Ctrl+Shift+R) 会从其设备读取密钥。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="123"/>
        <source>Registered keys: show the address on the device</source>
        <translation>已登记密钥：在设备上显示地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="126"/>
        <source>Registered keys</source>
        <translation>已登记密钥</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="128"/>
        <source>No registered key yet.</source>
        <translation>尚无已登记的密钥。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="168"/>
        <source>Stop test &amp;emulator</source>
        <translation>停止测试模拟器(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="179"/>
        <source>No device to identify.</source>
        <translation>没有可识别的设备。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="182"/>
        <source>Identify the device and read its key</source>
        <translation>识别设备并读取其密钥</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="190"/>
        <source>%1: model %2, firmware %3, label “%4”, fingerprint %5%6.</source>
        <translation>%1：型号 %2，固件 %3，标签“%4”，指纹 %5%6。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="196"/>
        <source> (TEST EMULATOR)</source>
        <translation>（测试模拟器）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="199"/>
        <source>It holds no registered officer&apos;s key.</source>
        <translation>它不持有任何已登记官员的密钥。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="202"/>
        <source>✓ It holds %1&apos;s registered key at %2 (address %3).</source>
        <translation>✓ 它持有 %1 在 %2 的已登记密钥（地址 %3）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="209"/>
        <source>✗ Its key at %1 (address %2) is NOT %3&apos;s registered key.</source>
        <translation>✗ 它在 %1 的密钥（地址 %2）不是 %3 的已登记密钥。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="227"/>
        <source>Select a registered key and a device first.</source>
        <translation>请先选择一个已登记密钥和一台设备。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="229"/>
        <source>No device to ask: plug one in or start the test emulator.</source>
        <translation>没有可询问的设备：请插入设备或启动测试模拟器。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="235"/>
        <source>The device must show %1 (%2). Compare every character, then confirm on it.</source>
        <translation>设备必须显示 %1（%2）。请逐字符比对，然后在设备上确认。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="255"/>
        <source>✓ Match: %1 (%2) shows %3, the registered address of %4.</source>
        <translation>✓ 一致：%1（%2）显示 %3，即%4的已登记地址。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="262"/>
        <source>Address check: match (%1)</source>
        <translation>地址核对：一致（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="268"/>
        <source>✗ Not this key&apos;s device: %1 (%2) is not the device %3 was registered from (fingerprint %4). Nothing was shown: connect that party&apos;s own device.</source>
        <translation>✗ 不是此密钥的设备：%1（%2）不是登记%3时所用的设备（指纹 %4）。未显示任何内容：请连接该参与方自己的设备。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="281"/>
        <source>✗ MISMATCH: %1 (%2) shows %3, but the registered address of %4 is %5. This device does not hold the registered key: do not use it for this key until the registration or the device is checked.</source>
        <translation>✗ 不一致（MISMATCH）：%1（%2）显示 %3，但%4的已登记地址是 %5。此设备不持有已登记的密钥：在核查登记或设备之前，请勿将其用于此密钥。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="295"/>
        <source>Address MISMATCH</source>
        <translation>地址不一致（MISMATCH）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="326"/>
        <source>No device found. Check that it is plugged in and unlocked. On Linux, install the udev rules: sudo packaging/udev/install-udev-rules.sh, then replug. Close any other app that may hold it (Trezor Suite, a browser tab using WebUSB, another desk). For tests, start the emulator (Ctrl+Shift+E).</source>
        <translation>未找到设备。请确认设备已插入并解锁。Linux 上请安装 udev 规则：sudo packaging/udev/install-udev-rules.sh，然后重新插拔。关闭可能占用设备的其他应用（Trezor Suite、使用 WebUSB 的浏览器标签页、另一个桌面端）。测试时可启动模拟器（Ctrl+Shift+E）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="349"/>
        <source>Reading the public key at %1</source>
        <translation>正在读取 %1 处的公钥</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/devices_view.py" line="359"/>
        <source>Officer %1 registered with key %2</source>
        <translation>官员 %1 已登记，密钥 %2</translation>
    </message>
</context>
<context>
    <name>DocumentActions</name>
    <message>
        <location filename="../../app/ui/views/document_actions.py" line="47"/>
        <source>%1 written to %2 (%3 bytes).</source>
        <translation>%1 已写入 %2（%3 字节）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/document_actions.py" line="62"/>
        <source>%1 copied to the clipboard.</source>
        <translation>%1 已复制到剪贴板。</translation>
    </message>
</context>
<context>
    <name>EmergencyModel</name>
    <message>
        <location filename="../../app/ui/models/registry.py" line="48"/>
        <source>Not signed</source>
        <translation>未签名</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="50"/>
        <source>✓ Signed, verified</source>
        <translation>✓ 已签名，已验证</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="51"/>
        <source>Signature INVALID</source>
        <translation>签名无效</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="58"/>
        <source>Signature received %1</source>
        <translation>签名接收于 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="72"/>
        <source>Executed</source>
        <translation>已执行</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="74"/>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="76"/>
        <source>Quorum — executable</source>
        <translation>已达法定人数 — 可执行</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="77"/>
        <source>%1 of 2</source>
        <translation>%1 / 2</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="99"/>
        <source>Order</source>
        <translation>指令</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="104"/>
        <source>Client</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="108"/>
        <source>Regulator</source>
        <translation>监管方</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="109"/>
        <source>Custodian</source>
        <translation>托管方</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="110"/>
        <source>Exchange</source>
        <translation>交易所</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="112"/>
        <source>Quorum</source>
        <translation>法定人数</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="118"/>
        <source>Time left (48 h)</source>
        <translation>剩余时间（48 小时）</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="129"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>EmergencyOrderDetails</name>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="53"/>
        <source>Statement each party signs (exactly as shown on the device)</source>
        <translation>各方签署的声明（与设备显示完全一致）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="59"/>
        <source>Statement each party signs</source>
        <translation>各方签署的声明</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="68"/>
        <source>Signatures (2 of 3 distinct parties)</source>
        <translation>签名（三方中任意两方）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="71"/>
        <source>Party</source>
        <translation>参与方</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="71"/>
        <source>Share</source>
        <translation>份额签名</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="71"/>
        <source>Key id</source>
        <translation>密钥 ID</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="71"/>
        <source>Verification</source>
        <translation>验证</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="90"/>
        <source>Order</source>
        <translation>指令</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="103"/>
        <source>Order / client:</source>
        <translation>指令 / 客户：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="104"/>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="105"/>
        <source>Created:</source>
        <translation>创建时间：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="106"/>
        <source>Expires (48 h):</source>
        <translation>到期（48 小时）：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="107"/>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="108"/>
        <source>Executed:</source>
        <translation>执行：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="109"/>
        <source>Release instruction:</source>
        <translation>释放指令：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="112"/>
        <source>SafeTx hash:</source>
        <translation>SafeTx 哈希：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="113"/>
        <source>SafeTx signatures:</source>
        <translation>SafeTx 签名：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="121"/>
        <source>Bitcoin release transaction (PSBT)</source>
        <translation>比特币释放交易（PSBT）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="132"/>
        <source>Transaction id:</source>
        <translation>交易 ID：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="133"/>
        <source>Inputs / outputs:</source>
        <translation>输入 / 输出：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="134"/>
        <source>Amount to destination:</source>
        <translation>付至目标地址的金额：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="135"/>
        <source>Fee:</source>
        <translation>手续费：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="136"/>
        <source>Destination:</source>
        <translation>目标地址：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="137"/>
        <source>Signatures in the PSBT:</source>
        <translation>PSBT 中的签名：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="148"/>
        <source>%1 vault coins in, %2 out</source>
        <translation>输入 %1 个金库币，输出 %2 个</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="152"/>
        <source>%1 BTC (%2 sat)</source>
        <translation>%1 BTC（%2 sat）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="155"/>
        <source>%1 sat</source>
        <translation>%1 sat</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="165"/>
        <source>✓ %1: every input</source>
        <translation>✓ %1：所有输入</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="167"/>
        <source>◐ %1: %2 of %3 inputs</source>
        <translation>◐ %1：%3 个输入中的 %2 个</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="171"/>
        <source>✗ %1: not signed</source>
        <translation>✗ %1：未签名</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="175"/>
        <source>Enough signatures: %1 of %2 parties on every input</source>
        <translation>签名已足够：所有输入均有 %1 方签名（需 %2 方）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="178"/>
        <source>%1 of %2 parties&apos; signatures on every input</source>
        <translation>所有输入上已有 %1 方签名（需 %2 方）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="184"/>
        <source>Open: no party has signed yet (any two of the three are needed)</source>
        <translation>未完成：尚无任何一方签名（需三方中任意两方）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="186"/>
        <source>Open: 1 of 2 signatures, waiting for a second party</source>
        <translation>未完成：已有 1/2 个签名，等待第二方</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="187"/>
        <source>Quorum reached: executable once</source>
        <translation>已达法定人数：可执行一次</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="188"/>
        <source>Executed</source>
        <translation>已执行</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="189"/>
        <source>Expired: can no longer execute</source>
        <translation>已过期：不能再执行</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="197"/>
        <source>Select an order to see what is signed.</source>
        <translation>选择一条指令以查看签署内容。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="228"/>
        <source>Not executed</source>
        <translation>未执行</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="232"/>
        <location filename="../../app/ui/views/emergency_details.py" line="238"/>
        <source>— (no Safe transaction)</source>
        <translation>—（无 Safe 交易）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="241"/>
        <source>✓ %1 (%2) valid</source>
        <translation>✓ %1（%2）有效</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="243"/>
        <source>✗ %1 (%2) invalid: %3</source>
        <translation>✗ %1（%2）无效：%3</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="250"/>
        <source>1 more owner signature needed</source>
        <translation>还需 1 个所有者签名</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="253"/>
        <source>%1 more owner signatures needed</source>
        <translation>还需 %1 个所有者签名</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="256"/>
        <source>Enough owner signatures (2 of 3)</source>
        <translation>所有者签名已足够（3 取 2）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="263"/>
        <source>Not signed</source>
        <translation>未签名</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="269"/>
        <source>Signed %1</source>
        <translation>已签名 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="273"/>
        <source>✓ Verified against the registered key</source>
        <translation>✓ 已用登记的密钥验证</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_details.py" line="276"/>
        <source>✗ Not valid: %1</source>
        <translation>✗ 无效：%1</translation>
    </message>
</context>
<context>
    <name>EmergencyView</name>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="41"/>
        <source>&amp;New order…</source>
        <translation>新建指令(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="44"/>
        <source>&amp;Sign custodian share</source>
        <translation>签署托管方份额(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="47"/>
        <source>Sign custodian Safe&amp;Tx</source>
        <translation>签署托管方 Safe 交易(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="49"/>
        <source>Sign the order&apos;s Safe transaction (tokenized assets) on your device</source>
        <translation>在您的设备上签署该指令的 Safe 交易（代币化资产）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="52"/>
        <source>Replace custodian share…</source>
        <translation>替换托管方签名份额…</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="54"/>
        <source>Replace the custodian&apos;s share (a lost device, a new key): reason required</source>
        <translation>替换托管方的签名份额（设备遗失、更换密钥）：须填写原因</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="57"/>
        <source>E&amp;xport for the other parties…</source>
        <translation>导出给其他方(&amp;X)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="60"/>
        <source>&amp;Import a signed copy…</source>
        <translation>导入已签名副本(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="63"/>
        <source>Export re&amp;lease instruction…</source>
        <translation>导出释放指令(&amp;L)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="66"/>
        <source>E&amp;xecute at quorum</source>
        <translation>达到法定人数后执行(&amp;X)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="75"/>
        <source>Parties: regulator (VARA), custodian, exchange. An order executes once, only with valid signatures from two distinct parties before its 48-hour expiry.</source>
        <translation>参与方：监管方 (VARA)、托管方、交易所。指令仅在 48 小时到期前获得两个不同参与方的有效签名时执行，且只执行一次。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="82"/>
        <source>Emergency orders</source>
        <translation>紧急指令</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="86"/>
        <source>No emergency orders. New order (Ctrl+Shift+N) starts one; Import (Ctrl+Shift+I) reads another party&apos;s signed copy.</source>
        <translation>尚无紧急指令。“新建指令” (Ctrl+Shift+N) 创建一条；“导入” (Ctrl+Shift+I) 读取其他参与方的已签名副本。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="136"/>
        <source>The custodian already signed this order: one share per party.</source>
        <translation>托管方已签署此指令：每方仅一份签名。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="175"/>
        <source>Order refused</source>
        <translation>指令被拒绝</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="215"/>
        <source>Emergency unfreeze order %1</source>
        <translation>紧急解冻指令 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="239"/>
        <source>Safe transaction of order %1</source>
        <translation>指令 %1 的 Safe 交易</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="257"/>
        <source>Export order</source>
        <translation>导出指令</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="262"/>
        <source>Order exported to %1</source>
        <translation>指令已导出到 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="273"/>
        <source>Export release instruction</source>
        <translation>导出释放指令</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="282"/>
        <source>Import signed order</source>
        <translation>导入已签名指令</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="289"/>
        <source>Import refused</source>
        <translation>导入被拒绝</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="304"/>
        <location filename="../../app/ui/views/emergency_view.py" line="349"/>
        <source>Execute the emergency order</source>
        <translation>执行紧急指令</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="305"/>
        <source>Release %1&apos;s frozen assets (%2) under order %3?</source>
        <translation>依据指令 %3 释放 %1 的冻结资产（%2）？</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="309"/>
        <source>E&amp;xecute release</source>
        <translation>执行释放(&amp;X)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="311"/>
        <source>The release instruction is produced once and cannot be undone or repeated. The audit log records it as executed by %1.</source>
        <translation>释放指令只生成一次，无法撤销或重复。审计日志记录执行人为 %1。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="320"/>
        <location filename="../../app/ui/views/emergency_view.py" line="374"/>
        <source>Execution refused</source>
        <translation>执行被拒绝</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="324"/>
        <location filename="../../app/ui/views/emergency_view.py" line="378"/>
        <source>Order executed</source>
        <translation>指令已执行</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="325"/>
        <source>The release instruction for %1 was produced once.</source>
        <translation>%1 的释放指令已生成（仅一次）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="340"/>
        <source>Save the Safe transaction call</source>
        <translation>保存 Safe 交易调用</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="351"/>
        <source>Write the Safe&apos;s execTransaction call releasing %1&apos;s %2 under order %3 to %4?</source>
        <translation>将按指令 %3 释放 %1 的 %2 的 Safe execTransaction 调用写入 %4？</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="357"/>
        <source>&amp;Write call and execute</source>
        <translation>写入调用并执行(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="359"/>
        <source>The file holds every field of Safe transaction %1, the two owners&apos; signatures sorted by address and the ABI-encoded calldata; broadcasting it moves the tokens. The order is executed once and cannot be undone or repeated. The audit log records it as executed by %2.</source>
        <translation>该文件包含 Safe 交易 %1 的全部字段、按地址排序的两个所有者签名以及 ABI 编码的调用数据；广播后即转移代币。指令仅执行一次，不可撤销或重复。审计日志记录其执行者为 %2。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/emergency_view.py" line="379"/>
        <source>The execTransaction call for %1 was written to %2.</source>
        <translation>%1 的 execTransaction 调用已写入 %2。</translation>
    </message>
</context>
<context>
    <name>EmulatorControl</name>
    <message>
        <location filename="../../app/ui/emulator_control.py" line="103"/>
        <location filename="../../app/ui/emulator_control.py" line="148"/>
        <source>Emulator</source>
        <translation>模拟器</translation>
    </message>
    <message>
        <location filename="../../app/ui/emulator_control.py" line="135"/>
        <source>No test seed left</source>
        <translation>没有剩余的测试种子</translation>
    </message>
    <message>
        <location filename="../../app/ui/emulator_control.py" line="136"/>
        <source>Every public test seed already has a running emulator (%1 emulators). One device belongs to one officer only, so another emulator would need another seed: stop the emulators first, or plug in a device.</source>
        <translation>每个公开测试种子都已有正在运行的模拟器（%1 个模拟器）。一台设备只属于一名人员，因此再启动模拟器需要另一个种子：请先停止模拟器，或插入设备。</translation>
    </message>
    <message>
        <location filename="../../app/ui/emulator_control.py" line="162"/>
        <source>Test emulators now ask on their device screen.</source>
        <translation>测试模拟器现在在其设备屏幕上请求确认。</translation>
    </message>
    <message>
        <location filename="../../app/ui/emulator_control.py" line="166"/>
        <source>Test emulators now approve automatically.</source>
        <translation>测试模拟器现在自动批准。</translation>
    </message>
    <message>
        <location filename="../../app/ui/emulator_control.py" line="180"/>
        <source>test emulators</source>
        <translation>测试模拟器</translation>
    </message>
    <message>
        <location filename="../../app/ui/emulator_control.py" line="181"/>
        <source>Reading the demo officers&apos; keys from the test emulators</source>
        <translation>正在从测试模拟器读取演示人员的密钥</translation>
    </message>
    <message>
        <location filename="../../app/ui/emulator_control.py" line="203"/>
        <source>Demo officers alice and bob registered with test keys; alice is on duty. Prepare as alice, then switch to bob to approve.</source>
        <translation>演示人员 alice 和 bob 已用测试密钥登记；alice 正在值班。以 alice 身份准备，然后切换到 bob 进行批准。</translation>
    </message>
    <message>
        <location filename="../../app/ui/emulator_control.py" line="224"/>
        <source>Emulator refused</source>
        <translation>模拟器被拒绝</translation>
    </message>
    <message>
        <location filename="../../app/ui/emulator_control.py" line="225"/>
        <source>This is a production build: the test emulator is disabled. Plug in a hardware device.</source>
        <translation>这是生产版本：测试模拟器已禁用。请插入硬件设备。</translation>
    </message>
</context>
<context>
    <name>EmulatorOfferDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/emulator_offer.py" line="26"/>
        <source>No signing device found</source>
        <translation>未找到签名设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_offer.py" line="27"/>
        <source>No hardware signing device is plugged in.</source>
        <translation>未插入硬件签名设备。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_offer.py" line="29"/>
        <source>Start the test emulator</source>
        <translation>启动测试模拟器</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_offer.py" line="30"/>
        <source>Start the software HSM emulator?</source>
        <translation>启动软件 HSM 模拟器？</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_offer.py" line="32"/>
        <source>Start the software HSM emulator for testing? Everything it signs is marked TEST and refused by a production desk. Plug in a real device to sign for real.</source>
        <translation>是否启动软件 HSM 模拟器用于测试？其所有签名均标记为 TEST，生产环境会拒绝。真实签名请插入真实设备。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_offer.py" line="38"/>
        <source>No officer is registered yet. One officer prepares an attestation and a different officer, on a different device, approves it: the demo officers alice and bob each get their own emulator with a public test key, and alice is put on duty.</source>
        <translation>尚未登记任何人员。一名人员准备证明，另一名人员在另一台设备上批准：演示人员 alice 和 bob 各自获得一个使用公开测试密钥的模拟器，并由 alice 值班。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_offer.py" line="44"/>
        <source>Also register two &amp;demo officers with test keys</source>
        <translation>同时用测试密钥登记两名演示人员(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_offer.py" line="51"/>
        <source>Start test emulator</source>
        <translation>启动测试模拟器</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_offer.py" line="53"/>
        <source>Not now</source>
        <translation>暂不</translation>
    </message>
</context>
<context>
    <name>EmulatorScreenWindow</name>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="32"/>
        <source>EMULATOR — device screen (TEST ONLY)</source>
        <translation>模拟器 — 设备屏幕（仅供测试）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="35"/>
        <source>⚠ TEST EMULATOR — NOT FOR PRODUCTION ⚠</source>
        <translation>⚠ 测试模拟器 — 不得用于生产 ⚠</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="41"/>
        <source>%1 · key fingerprint %2</source>
        <translation>%1 · 密钥指纹 %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="50"/>
        <source>Text on the emulated device&apos;s screen</source>
        <translation>模拟设备屏幕上的文字</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="61"/>
        <source>✗ &amp;Reject</source>
        <translation>✗ 拒绝(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="62"/>
        <source>Reject on the emulated device</source>
        <translation>在模拟设备上拒绝</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="63"/>
        <source>✓ &amp;Approve</source>
        <translation>✓ 批准(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="64"/>
        <source>Approve on the emulated device</source>
        <translation>在模拟设备上批准</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="71"/>
        <source>Nothing to approve.</source>
        <translation>没有待批准的内容。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="78"/>
        <source>The device asks you to approve this text. Check it against the desk&apos;s &quot;Confirm on your device&quot; window, then press a button.</source>
        <translation>设备请您批准这段文字。请与工作台的“在设备上确认”窗口逐字核对，然后按下按钮。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="106"/>
        <source>You closed the device screen: rejected.</source>
        <translation>您关闭了设备屏幕：已拒绝。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="118"/>
        <source>You approved on the device.</source>
        <translation>您已在设备上批准。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/emulator_screen.py" line="120"/>
        <source>You rejected on the device.</source>
        <translation>您已在设备上拒绝。</translation>
    </message>
</context>
<context>
    <name>EmulatorScreens</name>
    <message>
        <location filename="../../app/ui/emulator_screens.py" line="96"/>
        <source>Decided by the approval setting (approve automatically).</source>
        <translation>已由批准设置决定（自动批准）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/emulator_screens.py" line="100"/>
        <source>The desk cancelled the request (or the device was unplugged).</source>
        <translation>工作台已取消请求（或设备已拔出）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/emulator_screens.py" line="110"/>
        <source>The device is no longer waiting: nothing was sent.</source>
        <translation>设备已不再等待：未发送任何内容。</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <location filename="../../app/ui/format.py" line="89"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../../app/ui/format.py" line="90"/>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location filename="../../app/ui/format.py" line="91"/>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <location filename="../../app/ui/format.py" line="92"/>
        <source>%1 d</source>
        <translation>%1 天</translation>
    </message>
    <message>
        <location filename="../../app/ui/format.py" line="119"/>
        <source>demo snapshot</source>
        <translation>演示快照</translation>
    </message>
    <message>
        <location filename="../../app/ui/format.py" line="120"/>
        <source>snapshot #%1</source>
        <translation>快照 #%1</translation>
    </message>
</context>
<context>
    <name>HoldingsView</name>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="92"/>
        <source>Clients</source>
        <extracomment>Above this many clients the table is filled in chunks so the window never stalls.</extracomment>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="95"/>
        <source>Filter clients (Ctrl+F)…</source>
        <translation>筛选客户 (Ctrl+F)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="95"/>
        <source>Filter clients</source>
        <translation>筛选客户</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="100"/>
        <source>Filter by state</source>
        <translation>按状态筛选</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="101"/>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="103"/>
        <source>Healthy</source>
        <translation>健康</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="104"/>
        <source>Margin call</source>
        <translation>追加保证金</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="105"/>
        <source>Liquidation</source>
        <translation>强制平仓</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="108"/>
        <source>Ineligible</source>
        <translation>不合格</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="134"/>
        <source>Totals</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="160"/>
        <source>Positions</source>
        <translation>持仓明细</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="166"/>
        <source>Positions of the selected client</source>
        <translation>所选客户的持仓</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="175"/>
        <source>Stress</source>
        <translation>压力测试</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="177"/>
        <source>Composition</source>
        <translation>构成</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="179"/>
        <source>Ratio history</source>
        <translation>抵押率历史</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="220"/>
        <source>Loading %1 clients…</source>
        <translation>正在加载 %1 个客户…</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="233"/>
        <source>TOTAL</source>
        <translation>合计</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="234"/>
        <source>%1 clients</source>
        <translation>%1 个客户</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="257"/>
        <source>As of %1 · amounts in USD · margin call below %2 · liquidation below %3</source>
        <translation>截至 %1 · 金额单位 USD · 低于 %2 追加保证金 · 低于 %3 强制平仓</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="324"/>
        <source>Positions: no client selected (or filtered out)</source>
        <translation>持仓：未选择客户（或已被筛除）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="335"/>
        <source>Positions of %1 (%2)</source>
        <translation>%1 (%2) 的持仓</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="356"/>
        <source>%1 %2 old (limit %3, %4)</source>
        <translation>%1 已过 %2（上限 %3，%4）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="365"/>
        <source>⚠ Stale prices: %1. No attestation or top-up can be prepared on them: import a fresh snapshot (File → Import snapshot…, Ctrl+O).</source>
        <translation>⚠ 价格过期：%1。无法据此编制证明或补充抵押：请导入新的快照（文件 → 导入快照…，Ctrl+O）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="378"/>
        <source>Prices from %1: %2</source>
        <translation>价格来自 %1：%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/holdings_view.py" line="381"/>
        <source>No prices: import a snapshot (File → Import snapshot…, Ctrl+O).</source>
        <translation>没有价格：请导入快照（文件 → 导入快照…，Ctrl+O）。</translation>
    </message>
</context>
<context>
    <name>KeysModel</name>
    <message>
        <location filename="../../app/ui/models/keys.py" line="15"/>
        <source>Officer key</source>
        <translation>官员密钥</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/keys.py" line="16"/>
        <source>Multisig key (vault)</source>
        <translation>多签密钥（金库）</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/keys.py" line="17"/>
        <source>Safe owner</source>
        <translation>Safe 所有者</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/keys.py" line="42"/>
        <source>%1&apos;s multisig key (%2&apos;s vault, address #0)</source>
        <translation>%1的多签密钥（%2的金库，地址 #0）</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/keys.py" line="47"/>
        <source>%1&apos;s Safe owner</source>
        <translation>%1的 Safe 所有者</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/keys.py" line="50"/>
        <source>officer %1&apos;s key</source>
        <translation>官员 %1 的密钥</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/keys.py" line="67"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/keys.py" line="72"/>
        <source>Officer or party</source>
        <translation>官员或参与方</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/keys.py" line="77"/>
        <source>Address the device must show</source>
        <translation>设备应显示的地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/keys.py" line="82"/>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/keys.py" line="85"/>
        <source>Device fingerprint</source>
        <translation>设备指纹</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../app/ui/labels.py" line="16"/>
        <source>Healthy</source>
        <translation>健康</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="17"/>
        <source>Margin call</source>
        <translation>追加保证金</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="18"/>
        <source>Liquidation</source>
        <translation>强制平仓</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="19"/>
        <source>No exposure</source>
        <translation>无敞口</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="22"/>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="23"/>
        <source>Awaiting approval</source>
        <translation>待审批</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="24"/>
        <source>Signing</source>
        <translation>签名中</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="25"/>
        <source>Signed</source>
        <translation>已签名</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="26"/>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="27"/>
        <source>Rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="28"/>
        <location filename="../../app/ui/labels.py" line="36"/>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="31"/>
        <source>Received</source>
        <translation>已收到</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="32"/>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="33"/>
        <source>Topped up</source>
        <translation>已补足</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="34"/>
        <source>Escalated to liquidation</source>
        <translation>已升级为强平</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="35"/>
        <source>Liquidated</source>
        <translation>已强平</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="39"/>
        <source>Regulator (VARA)</source>
        <translation>监管方 (VARA)</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="40"/>
        <source>Custodian</source>
        <translation>托管方</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="41"/>
        <source>Exchange</source>
        <translation>交易所</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="66"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../app/ui/labels.py" line="66"/>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="217"/>
        <source>Desk</source>
        <extracomment>Holdings, attestations, margin calls, emergency, devices, audit.</extracomment>
        <translation>工作台</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="311"/>
        <source>Custody Desk</source>
        <translation>托管工作台</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="313"/>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="314"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="315"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="316"/>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="317"/>
        <source>Hel&amp;p</source>
        <translation>帮助(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="318"/>
        <source>&amp;Documentation</source>
        <translation>文档(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="319"/>
        <source>&amp;About Custody Desk</source>
        <translation>关于托管工作台(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="320"/>
        <source>&amp;Import snapshot…</source>
        <translation>导入快照(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="321"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="322"/>
        <source>&amp;Actions</source>
        <translation>操作(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="323"/>
        <source>&amp;Find client</source>
        <translation>查找客户(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="324"/>
        <source>Messa&amp;ges…</source>
        <translation>消息(&amp;G)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="325"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="330"/>
        <source>&amp;Holdings</source>
        <translation>持仓(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="332"/>
        <source>&amp;Margin calls (%1)</source>
        <translation>追加保证金 (%1)(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="334"/>
        <source>&amp;Margin calls</source>
        <translation>追加保证金(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="335"/>
        <source>&amp;Emergency</source>
        <translation>紧急(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="336"/>
        <source>Dev&amp;ices</source>
        <translation>设备(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="533"/>
        <source>Signed, not committed</source>
        <translation>已签名，未提交</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="534"/>
        <source>%n signed act(s) could not be committed yet.</source>
        <translation>
            <numerusform>%n 项已签名的操作尚未能提交。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="540"/>
        <source>The store has not got the %n act(s) below: closing the window discards them and they must be signed again. Keep the window open and they are committed when the store is back.

%1</source>
        <translation>
            <numerusform>存储尚未收到以下 %n 项操作：关闭窗口会丢弃它们，必须重新签名。保持窗口打开，存储恢复后会自动提交。

%1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="545"/>
        <source>Keep the window open</source>
        <translation>保持窗口打开</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="546"/>
        <source>Discard and close</source>
        <translation>丢弃并关闭</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="331"/>
        <source>A&amp;ttestations</source>
        <translation>证明(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="337"/>
        <source>A&amp;udit</source>
        <translation>审计(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="359"/>
        <source>⚠ TEST EMULATOR — NOT FOR PRODUCTION ⚠   signatures made here are test-only</source>
        <translation>⚠ 测试模拟器 — 不得用于生产 ⚠   此处的签名仅供测试</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="361"/>
        <source>Test emulator warning</source>
        <translation>测试模拟器警告</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="372"/>
        <source>Store: %1</source>
        <translation>存储：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="369"/>
        <source>⚠ connection lost, retrying: %1</source>
        <translation>⚠ 连接中断，正在重试：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="377"/>
        <source>Devices: %1</source>
        <translation>设备：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="379"/>
        <source>Devices: none found</source>
        <translation>设备：未发现</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="381"/>
        <source>Emulator: RUNNING (test only)</source>
        <translation>模拟器：运行中（仅测试）</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="383"/>
        <source>Emulator: off</source>
        <translation>模拟器：关闭</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="390"/>
        <source>Import snapshot</source>
        <translation>导入快照</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="390"/>
        <source>Snapshots (*.json)</source>
        <translation>快照 (*.json)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="398"/>
        <source>Snapshot refused</source>
        <translation>快照被拒绝</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="414"/>
        <location filename="../../app/ui/main_window.py" line="415"/>
        <source>The action failed</source>
        <translation>操作失败</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="421"/>
        <source>%1

Whatever the store had committed before the failure is kept; the desk&apos;s log has the details. Refresh (F5) and check before trying again.</source>
        <translation>%1

失败前已提交到存储的内容会保留；详情见工作台日志。请刷新 (F5) 并核对后再重试。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="461"/>
        <source>New margin call</source>
        <translation>新的追加保证金通知</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/main_window.py" line="462"/>
        <source>%n new margin call(s) need attention.</source>
        <translation>
            <numerusform>%n 个新的追加保证金通知需要处理。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MarginCallDetails</name>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="52"/>
        <source>Selected call</source>
        <translation>所选追加保证金通知</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="67"/>
        <source>Client:</source>
        <translation>客户：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="68"/>
        <source>Call:</source>
        <translation>通知编号：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="69"/>
        <source>Status:</source>
        <translation>状态：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="70"/>
        <source>Received:</source>
        <translation>收到时间：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="71"/>
        <source>Deadline:</source>
        <translation>截止时间：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="72"/>
        <source>Time left:</source>
        <translation>剩余时间：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="74"/>
        <source>Exchange shortfall (USD):</source>
        <translation>交易所缺口 (USD)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="75"/>
        <source>Exchange exposure (USD):</source>
        <translation>交易所敞口 (USD)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="76"/>
        <source>Ratio at the call:</source>
        <translation>通知时的比率：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="77"/>
        <source>Desk now:</source>
        <translation>本台当前：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="82"/>
        <source>Status history</source>
        <translation>状态历史</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="94"/>
        <source>Signed documents</source>
        <translation>已签名文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="107"/>
        <source>Liquidation waterfall (yield first)</source>
        <translation>强平瀑布（收益优先）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="114"/>
        <source>Waterfall preview</source>
        <translation>瀑布预览</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="138"/>
        <source>Select a call to see its history.</source>
        <translation>选择一条通知以查看其历史。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="151"/>
        <source>%1 (liquidation notice; the call said %2)</source>
        <translation>%1（强平通知；追加通知为 %2）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="156"/>
        <source>%1 (liquidation notice)</source>
        <translation>%1（强平通知）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="159"/>
        <source>%1 (margin call)</source>
        <translation>%1（追加保证金通知）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="164"/>
        <source>ratio %1 · %2 (the desk&apos;s valuation, Holdings tab)</source>
        <translation>比率 %1 · %2（本台估值，见“持仓”页）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="174"/>
        <source>Not past the liquidation line: answer with a top-up, or escalate.</source>
        <translation>未低于强平线：以补仓回应，或升级处理。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="177"/>
        <source>Past the liquidation line, but nothing to sell.</source>
        <translation>已低于强平线，但没有可出售的资产。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="182"/>
        <source>Past the liquidation line: accrued yield is applied first, then assets in the pre-authorised order. Shortfall left after the waterfall: USD %1.</source>
        <translation>已低于强平线：先使用应计收益，再按预授权顺序处置资产。瀑布后剩余缺口：USD %1。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="199"/>
        <source>No recorded history for this call.</source>
        <translation>此通知没有记录的历史。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="208"/>
        <source>No signed documents yet.</source>
        <translation>尚无已签名文件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="210"/>
        <source>Margin call (signed by the exchange)</source>
        <translation>追加保证金通知（交易所签名）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="211"/>
        <source>Liquidation notice (exchange)</source>
        <translation>强平通知（交易所）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="212"/>
        <source>Top-up attestation</source>
        <translation>补仓证明</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_call_details.py" line="213"/>
        <source>Liquidation instruction (custodian)</source>
        <translation>强平指令（托管方）</translation>
    </message>
</context>
<context>
    <name>MarginCallsModel</name>
    <message>
        <location filename="../../app/ui/models/desk.py" line="203"/>
        <source>From the exchange&apos;s liquidation notice (the call said USD %1).</source>
        <translation>来自交易所的强平通知（追加通知为 USD %1）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="207"/>
        <source>From the exchange&apos;s margin call.</source>
        <translation>来自交易所的追加保证金通知。</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="218"/>
        <source>Client</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="223"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="228"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="234"/>
        <source>Deadline</source>
        <translation>截止时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="239"/>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="247"/>
        <source>Exchange shortfall (USD)</source>
        <translation>交易所缺口 (USD)</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="260"/>
        <source>Ratio at the call</source>
        <translation>通知时比率</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="264"/>
        <source>The exchange&apos;s collateral ratio when it issued the call.</source>
        <translation>交易所发出通知时的抵押比率。</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="269"/>
        <source>Desk ratio now</source>
        <translation>本台当前比率</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="273"/>
        <source>The desk&apos;s own valuation of the client now: %1</source>
        <translation>本台对该客户的当前估值：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="254"/>
        <source>Exposure (USD)</source>
        <translation>敞口 (USD)</translation>
    </message>
</context>
<context>
    <name>MarginCallsView</name>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="46"/>
        <source>Ac&amp;knowledge</source>
        <translation>确认(&amp;K)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="49"/>
        <source>Answer with a &amp;top-up attestation</source>
        <translation>以补充抵押证明回应(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="52"/>
        <source>Liquidation &amp;waterfall…</source>
        <translation>强平瀑布(&amp;W)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="55"/>
        <source>&amp;Escalate to liquidation</source>
        <translation>升级为强平(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="58"/>
        <source>Sign &amp;&amp; send top-up &amp;answer</source>
        <translation>签署并发送补充回复(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="61"/>
        <source>S&amp;ync with exchange</source>
        <translation>与交易所同步(&amp;Y)</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="66"/>
        <source>Margin calls</source>
        <translation>追加保证金</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="70"/>
        <source>No margin calls from the exchange. New calls appear here with a desktop notification.</source>
        <translation>交易所暂无追加保证金通知。新通知会显示在此处并弹出桌面通知。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="74"/>
        <source>Filter calls…</source>
        <translation>筛选通知…</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="74"/>
        <source>Filter calls</source>
        <translation>筛选通知</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="80"/>
        <source>Time left turns amber within an hour of the deadline and red past it. Past the liquidation line, preview the waterfall and sign the pre-authorised instruction.</source>
        <translation>截止前一小时内剩余时间显示为琥珀色，逾期显示为红色。低于强平线时，请预览瀑布并签署预授权指令。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="167"/>
        <source>Cannot acknowledge</source>
        <translation>无法确认</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="178"/>
        <source>Cannot escalate</source>
        <translation>无法升级</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="192"/>
        <source>Top-up answer to margin call %1</source>
        <translation>对追加保证金通知 %1 的补充回复</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="209"/>
        <source>Exchange link</source>
        <translation>交易所连接</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="216"/>
        <source>No exchange link is configured: File → Settings… → Exchange link (or custody-desk exchange-link --url).</source>
        <translation>未配置交易所连接：文件 → 设置… → 交易所连接（或 custody-desk exchange-link --url）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="236"/>
        <source>Top-up attestation for %1 (your signature as its maker)</source>
        <translation>%1 的补充抵押证明（以编制人身份签名）</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="249"/>
        <source>Top-up attestation %1 prepared for approval.</source>
        <translation>补充抵押证明 %1 已编制，待审批。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/margin_calls_view.py" line="273"/>
        <source>Liquidation instruction for %1, shortfall USD %2</source>
        <translation>%1 的强平指令，缺口 USD %2</translation>
    </message>
</context>
<context>
    <name>MessageLogDialog</name>
    <message>
        <location filename="../../app/ui/message_log.py" line="140"/>
        <location filename="../../app/ui/message_log.py" line="146"/>
        <source>Messages</source>
        <translation>消息</translation>
    </message>
</context>
<context>
    <name>NoticeButton</name>
    <message>
        <location filename="../../app/ui/message_log.py" line="107"/>
        <source>(%1 unread) %2</source>
        <extracomment>Kept in memory for the session; the audit log is the durable record.</extracomment>
        <translation>（%1 条未读）%2</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_log.py" line="114"/>
        <source>Unread messages</source>
        <translation>未读消息</translation>
    </message>
</context>
<context>
    <name>OfficersModel</name>
    <message>
        <location filename="../../app/ui/models/registry.py" line="202"/>
        <source>Officer</source>
        <translation>官员</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="205"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="208"/>
        <source>Key fingerprint</source>
        <translation>密钥指纹</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="213"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/registry.py" line="218"/>
        <source>Path</source>
        <translation>路径</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="25"/>
        <source>Passphrase for %1</source>
        <translation>%1 的口令</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="29"/>
        <source>The device asks for its passphrase. A different passphrase opens a different key, which the desk will refuse as not the officer&apos;s registered key.</source>
        <translation>设备要求输入口令。不同的口令会打开不同的密钥，工作台会因其不是官员登记的密钥而拒绝。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="38"/>
        <source>Passphrase</source>
        <translation>口令</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="41"/>
        <source>Passphrase again</source>
        <translation>再次输入口令</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="42"/>
        <source>&amp;Passphrase:</source>
        <translation>口令(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="43"/>
        <source>&amp;Again:</source>
        <translation>再次(&amp;A)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="45"/>
        <source>&amp;Show</source>
        <translation>显示(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="48"/>
        <source>The two entries differ.</source>
        <translation>两次输入不一致。</translation>
    </message>
</context>
<context>
    <name>PinMatrixDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/pin_matrix.py" line="30"/>
        <source>Enter the PIN of %1</source>
        <extracomment>Keypad layout: the digit each button sends is its position on a numeric keypad.</extracomment>
        <translation>输入 %1 的 PIN</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/pin_matrix.py" line="34"/>
        <source>Look at the device: it shows the digits in a scrambled order. Click the positions of your PIN&apos;s digits here (or use the numeric keypad).</source>
        <translation>请看设备：它以打乱的顺序显示数字。在此点击您 PIN 各位数字所在的位置（或使用小键盘）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/pin_matrix.py" line="43"/>
        <source>PIN positions entered</source>
        <translation>已输入的 PIN 位置</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/pin_matrix.py" line="51"/>
        <source>Keypad position %1</source>
        <translation>键盘位置 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/pin_matrix.py" line="57"/>
        <source>⌫ Delete</source>
        <translation>⌫ 删除</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/pin_matrix.py" line="65"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
</context>
<context>
    <name>PositionsModel</name>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="190"/>
        <source>On-chain vault: {0} {1}, as in the snapshot</source>
        <translation>链上金库：{0} {1}，与快照一致</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="193"/>
        <source>On-chain vault: {0} {1}, the snapshot says {2}</source>
        <translation>链上金库：{0} {1}，快照记为 {2}</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="218"/>
        <source>%1 old: as of %2 from %3; limit %4.</source>
        <translation>已过 %1：截至 %2，来自 %3；上限 %4。</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="225"/>
        <source>STALE: no attestation on it until a fresh snapshot is imported.</source>
        <translation>已过期：导入新快照前不能据此编制证明。</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="240"/>
        <source>Asset</source>
        <translation>资产</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="243"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="249"/>
        <source>The snapshot&apos;s quantity; for BTC, flagged when the client&apos;s on-chain 2-of-3 vault (imported UTXOs) holds a different amount</source>
        <translation>快照中的数量；对于 BTC，若客户的链上 2-of-3 金库（已导入的 UTXO）持有不同数量则标记</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="256"/>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="262"/>
        <source>Each price&apos;s age and source are in its tooltip and above the clients; past its limit (1 h for BTC, 24 h for fund NAVs and stablecoins) it is STALE (⚠, red)</source>
        <translation>每个价格的时效和来源见其提示及客户表上方；超过上限（BTC 1 小时，基金净值和稳定币 24 小时）即为过期（⚠，红色）</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="270"/>
        <source>Market value</source>
        <translation>市值</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="282"/>
        <source>Collateral value</source>
        <translation>抵押价值</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="288"/>
        <source>Accrued yield</source>
        <translation>应计收益</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="294"/>
        <source>Redemption lock</source>
        <translation>赎回锁定</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="299"/>
        <source>Quantity locked in the custodian&apos;s contract for redemption (fiat settles within 24 hours)</source>
        <translation>为赎回锁定在托管方合约中的数量（法币在 24 小时内结算）</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="276"/>
        <source>Collateral factor</source>
        <translation>抵押系数</translation>
    </message>
</context>
<context>
    <name>ProofsModel</name>
    <message>
        <location filename="../../app/ui/models/desk.py" line="122"/>
        <source>Client</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="127"/>
        <source>Leaf</source>
        <translation>叶子</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="133"/>
        <source>Collateral value (USD)</source>
        <translation>抵押价值 (USD)</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="139"/>
        <source>Proof length</source>
        <translation>证明长度</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="145"/>
        <source>Verified</source>
        <translation>已验证</translation>
    </message>
</context>
<context>
    <name>QueueView</name>
    <message>
        <location filename="../../app/ui/views/queue_view.py" line="153"/>
        <source>No signing device found.</source>
        <translation>未找到签名设备。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/queue_view.py" line="153"/>
        <source>No device</source>
        <translation>无设备</translation>
    </message>
</context>
<context>
    <name>RatioHistoryChart</name>
    <message>
        <location filename="../../app/ui/views/charts.py" line="76"/>
        <location filename="../../app/ui/views/charts.py" line="77"/>
        <source>Collateral ratio over time</source>
        <translation>抵押率随时间变化</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/charts.py" line="118"/>
        <source>Collateral ratio of %1</source>
        <translation>%1 的抵押率</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/charts.py" line="80"/>
        <source>Collateral ratio</source>
        <translation>抵押率</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/charts.py" line="83"/>
        <source>Margin-call line</source>
        <translation>追加保证金线</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/charts.py" line="84"/>
        <source>Liquidation line</source>
        <translation>强平线</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/charts.py" line="88"/>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
</context>
<context>
    <name>RatioHistorySlot</name>
    <message>
        <location filename="../../app/ui/views/chart_slots.py" line="98"/>
        <source>Select a client to see its collateral ratio over time.</source>
        <translation>选择客户以查看其抵押比率随时间的变化。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/chart_slots.py" line="119"/>
        <source>%1 has no exposure in any stored snapshot: there is no collateral ratio to chart.</source>
        <translation>%1 在所有已存快照中均无敞口：没有可绘制的抵押比率。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/chart_slots.py" line="124"/>
        <source>Only one snapshot so far for %1: collateral ratio %2 at %3. A history appears once a second snapshot is imported.</source>
        <translation>%1 目前只有一个快照：%3 时抵押比率为 %2。导入第二个快照后才会显示历史。</translation>
    </message>
</context>
<context>
    <name>RegisterOfficerDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="26"/>
        <source>custody officer</source>
        <translation>托管官员</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="27"/>
        <source>senior custody officer</source>
        <translation>高级托管官员</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="28"/>
        <source>head of custody</source>
        <translation>托管主管</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="39"/>
        <source>Register an officer&apos;s key</source>
        <translation>登记官员密钥</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="44"/>
        <source>The officer&apos;s public key is read from their own device; from then on only a signature by that key counts as that officer&apos;s approval.</source>
        <translation>官员公钥从其本人设备读取；此后只有该密钥的签名才算该官员的审批。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="52"/>
        <source>Officer name</source>
        <translation>官员姓名</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="57"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="59"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="63"/>
        <source>Key path</source>
        <translation>密钥路径</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="64"/>
        <source>&amp;Name:</source>
        <translation>姓名(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="65"/>
        <source>&amp;Role:</source>
        <translation>角色(&amp;R)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="66"/>
        <source>&amp;Device:</source>
        <translation>设备(&amp;D)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="67"/>
        <source>Key &amp;path:</source>
        <translation>密钥路径(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/register_officer.py" line="73"/>
        <source>Read key and &amp;register</source>
        <translation>读取密钥并登记(&amp;R)</translation>
    </message>
</context>
<context>
    <name>RejectAttestationDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/reject_attestation.py" line="24"/>
        <source>Reject attestation %1</source>
        <translation>拒绝证明 %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/reject_attestation.py" line="29"/>
        <source>The attestation will not be signed. Say why: the reason goes to the audit log and to the officer who prepared it.</source>
        <translation>该证明将不会被签名。请说明原因：原因会写入审计日志并告知编制该证明的官员。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/reject_attestation.py" line="36"/>
        <source>Reason for rejecting</source>
        <translation>拒绝原因</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/reject_attestation.py" line="38"/>
        <source>&amp;Reject</source>
        <translation>拒绝(&amp;R)</translation>
    </message>
</context>
<context>
    <name>ReplaceShareDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/replace_share.py" line="23"/>
        <source>Replace the custodian&apos;s share of %1</source>
        <translation>替换 %1 的托管方签名份额</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/replace_share.py" line="28"/>
        <source>The custodian already signed order %1 with key %2. A new signature from your device replaces that share; the replacement, both keys and your reason go to the audit log.</source>
        <translation>托管方已用密钥 %2 签署指令 %1。您设备上的新签名将替换该份额；替换操作、两把密钥及您的原因都会记入审计日志。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/replace_share.py" line="38"/>
        <source>Reason for replacing the share</source>
        <translation>替换签名份额的原因</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/replace_share.py" line="40"/>
        <source>Re&amp;place the share</source>
        <translation>替换签名份额(&amp;P)</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="51"/>
        <source>The desk window</source>
        <translation>工作台窗口</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="52"/>
        <source>Workflows: attest, calls, emergency</source>
        <translation>工作流程：证明、追加保证金、紧急指令</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="53"/>
        <source>Security and keys</source>
        <translation>安全与密钥</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="54"/>
        <source>The exchange link</source>
        <translation>交易所连接</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="55"/>
        <source>The store, backup and restore</source>
        <translation>存储、备份与恢复</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="56"/>
        <source>Valuation rules, price freshness</source>
        <translation>估值规则与价格时效</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="60"/>
        <source>production</source>
        <translation>生产</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="61"/>
        <source>development</source>
        <translation>开发</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="69"/>
        <source>Desk settings</source>
        <translation>工作台设置</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="109"/>
        <source>https://exchange.example/api or a drop folder</source>
        <translation>https://exchange.example/api 或投递文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="111"/>
        <source>Exchange link:</source>
        <translation>交易所连接：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="113"/>
        <source>CA bundle (PEM):</source>
        <translation>CA 证书包 (PEM)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="114"/>
        <source>Client certificate (mutual TLS):</source>
        <translation>客户端证书（双向 TLS）：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="115"/>
        <source>Client key:</source>
        <translation>客户端私钥：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="119"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="123"/>
        <source>Save exchange link</source>
        <translation>保存交易所连接</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="129"/>
        <source>An https:// link is verified against the CA bundle (else the system&apos;s CAs); a client certificate and key enable mutual TLS. A folder path is a drop-folder link. Saved settings are audited.</source>
        <translation>https:// 连接按 CA 证书包验证（否则使用系统 CA）；客户端证书和私钥启用双向 TLS。文件夹路径即投递文件夹连接。保存的设置会记入审计。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="136"/>
        <source>Exchange link</source>
        <translation>交易所连接</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="141"/>
        <source>Choose a file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="162"/>
        <source>Exchange link not saved</source>
        <translation>交易所连接未保存</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="164"/>
        <source>Exchange link saved.</source>
        <translation>交易所连接已保存。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="174"/>
        <source>Party</source>
        <translation>参与方</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="174"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="174"/>
        <source>Key id</source>
        <translation>密钥 ID</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="174"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="175"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="183"/>
        <source>Revoke selected key…</source>
        <translation>吊销所选密钥…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="186"/>
        <source>Export keys file…</source>
        <translation>导出密钥文件…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="194"/>
        <source>Officers&apos; keys are added from their device (Devices → Register officer key). A revoked key&apos;s signatures never count again.</source>
        <translation>官员密钥从其设备添加（设备 → 登记官员密钥）。被吊销密钥的签名不再有效。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="203"/>
        <source>Keys</source>
        <translation>密钥</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="214"/>
        <source>active</source>
        <translation>有效</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="214"/>
        <source>revoked</source>
        <translation>已吊销</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="217"/>
        <source>Multisig account key</source>
        <translation>多签账户密钥</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="219"/>
        <source>(TEST)</source>
        <translation>（测试）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="221"/>
        <source>Safe owner</source>
        <translation>Safe 所有者</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="237"/>
        <source>officer (%1)</source>
        <translation>官员（%1）</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="248"/>
        <source>A multisig account key or Safe owner is not revoked here: a Safe owner is replaced by recording the party&apos;s new address.</source>
        <translation>多签账户密钥或 Safe 所有者不在此处撤销：记录该参与方的新地址即可替换 Safe 所有者。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="269"/>
        <source>Revoke a key</source>
        <translation>吊销密钥</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="270"/>
        <source>Revoke %1&apos;s key %2 (%3)?</source>
        <translation>吊销 %1 的密钥 %2（%3）？</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="274"/>
        <source>&amp;Revoke key</source>
        <translation>吊销密钥(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="276"/>
        <source>From now on its signatures never count: attestations, emergency shares and answers signed with it are refused. This cannot be undone; the audit log records it as revoked by %1.</source>
        <translation>此后其签名一律无效：以其签署的证明、紧急签名份额和回复都将被拒绝。此操作无法撤销；审计日志记录吊销人为 %1。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="286"/>
        <source>Not revoked</source>
        <translation>未吊销</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="296"/>
        <source>Export keys file</source>
        <translation>导出密钥文件</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="303"/>
        <source>Keys file exported to %1 (%2 bytes).</source>
        <translation>密钥文件已导出至 %1（%2 字节）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="313"/>
        <source>Back up the store…</source>
        <translation>备份存储…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="315"/>
        <source>Restore from a backup…</source>
        <translation>从备份恢复…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="321"/>
        <source>A backup is a consistent copy of the whole store (checked after writing). Restoring keeps the current store beside it; the window then shows the restored store (sign in again if your session is not in it). Both are audited.</source>
        <translation>备份是整个存储的一致副本（写入后校验）。恢复时会在旁边保留当前存储；随后窗口显示恢复后的存储（若其中没有您的会话，请重新登录）。两者均记入审计。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="362"/>
        <source>Everything recorded since that backup is replaced (the current store is kept beside it). The window then shows the restored store.</source>
        <translation>该备份之后记录的所有内容都将被替换（当前存储保留在旁边）。随后窗口显示恢复后的存储。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="374"/>
        <source>Restored from %1. The previous store is kept as %2.</source>
        <translation>已从 %1 恢复。原存储保留为 %2。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="330"/>
        <source>Backup</source>
        <translation>备份</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="335"/>
        <source>Back up the store</source>
        <translation>备份存储</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="343"/>
        <source>Backup failed</source>
        <translation>备份失败</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="345"/>
        <source>Store backed up to %1.</source>
        <translation>存储已备份至 %1。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="351"/>
        <source>Restore from a backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="358"/>
        <source>Restore the store</source>
        <translation>恢复存储</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="359"/>
        <source>Replace the desk&apos;s store with the backup %1?</source>
        <translation>用备份 %1 替换工作台的存储？</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="360"/>
        <source>&amp;Restore</source>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="371"/>
        <source>Restore refused</source>
        <translation>恢复被拒绝</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="389"/>
        <source>Store in use:</source>
        <translation>使用中的存储：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="393"/>
        <source>Another store is chosen at start-up: custody-desk --data-dir DIR, or the CUSTODY_DESK_DATA_DIR environment variable.</source>
        <translation>启动时可选择其他存储：custody-desk --data-dir DIR，或环境变量 CUSTODY_DESK_DATA_DIR。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="398"/>
        <source>Store</source>
        <translation>存储</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="405"/>
        <source>Custody Desk %1 (%2 build) · Python %3 · %4</source>
        <translation>托管工作台 %1（%2 构建）· Python %3 · %4</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="414"/>
        <source>Licence notices of the components shipped:</source>
        <translation>随附组件的许可声明：</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="421"/>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="433"/>
        <source>The documentation is not installed.</source>
        <translation>未安装文档。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings_dialog.py" line="440"/>
        <source>Help</source>
        <translation>帮助</translation>
    </message>
</context>
<context>
    <name>SignedDocumentsBar</name>
    <message>
        <location filename="../../app/ui/views/signed_documents.py" line="31"/>
        <source>Signed documents:</source>
        <translation>已签名文件：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/signed_documents.py" line="33"/>
        <source>Signed reconciliation reports and checkpoints</source>
        <translation>已签名的对账报告和审计检查点</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/signed_documents.py" line="37"/>
        <source>Export document…</source>
        <translation>导出文件…</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/signed_documents.py" line="39"/>
        <source>Copy audit root</source>
        <translation>复制审计根</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/signed_documents.py" line="41"/>
        <source>Audit root</source>
        <translation>审计根</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/signed_documents.py" line="43"/>
        <source>Copy signature</source>
        <translation>复制签名</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/signed_documents.py" line="45"/>
        <source>Signature</source>
        <translation>签名</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/signed_documents.py" line="107"/>
        <source>Export signed document</source>
        <translation>导出已签名文件</translation>
    </message>
</context>
<context>
    <name>SigninBar</name>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="56"/>
        <source>Sign in to act at this desk.</source>
        <translation>请登录后在本工作台操作。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="57"/>
        <source>Switching officer: the next officer signs in on their device.</source>
        <translation>正在切换官员：下一位官员在其设备上登录。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="58"/>
        <source>The desk was locked. Sign in again.</source>
        <translation>工作台已锁定。请重新登录。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="59"/>
        <source>The desk locked itself after being idle. Sign in again.</source>
        <translation>工作台因闲置已自动锁定。请重新登录。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="60"/>
        <source>Your session expired. Sign in again.</source>
        <translation>您的会话已过期。请重新登录。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="61"/>
        <source>Signed out. The next officer signs in here.</source>
        <translation>已退出登录。下一位官员在此登录。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="62"/>
        <source>Sign-in refused.</source>
        <translation>登录被拒绝。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="63"/>
        <source>No signing device found.</source>
        <translation>未找到签名设备。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="65"/>
        <source>The store was restored from a backup that does not hold your session. Sign in again.</source>
        <translation>存储已从不含您会话的备份恢复。请重新登录。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="102"/>
        <source>Nobody signed in</source>
        <translation>无人登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="103"/>
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="104"/>
        <source>&amp;Sign in…</source>
        <translation>登录(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="106"/>
        <source>(TEST)</source>
        <translation>（测试）</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="109"/>
        <source>Signed in: %1</source>
        <translation>已登录：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="111"/>
        <source>Signed in: %1 until %2 (%3)</source>
        <translation>已登录：%1，至 %2（%3）</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="116"/>
        <source>&amp;Switch officer…</source>
        <translation>切换官员(&amp;W)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="121"/>
        <source>&amp;Lock</source>
        <translation>锁定(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="122"/>
        <source>Lock the desk</source>
        <translation>锁定工作台</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/bar.py" line="123"/>
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
</context>
<context>
    <name>SigninController</name>
    <message>
        <location filename="../../app/ui/signin/controller.py" line="87"/>
        <source>No signing device found: plug in your device.</source>
        <translation>未找到签名设备：请插入您的设备。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/controller.py" line="93"/>
        <source>Sign in as %1</source>
        <translation>以 %1 身份登录</translation>
    </message>
</context>
<context>
    <name>SigninDialog</name>
    <message>
        <location filename="../../app/ui/signin/dialog.py" line="37"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/dialog.py" line="46"/>
        <source>Your own registered device will show a one-time sign-in challenge (CDESK-SIGNIN/1 … officer, workstation, expiry). Approve it there.</source>
        <translation>您自己登记的设备将显示一次性登录质询（CDESK-SIGNIN/1 … 官员、工作站、有效期）。请在设备上批准。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/dialog.py" line="55"/>
        <source>Officer</source>
        <translation>官员</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/dialog.py" line="57"/>
        <source>(TEST)</source>
        <translation>（测试）</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/dialog.py" line="62"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/dialog.py" line="68"/>
        <source>&amp;Officer:</source>
        <translation>官员(&amp;O)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/dialog.py" line="69"/>
        <source>&amp;Device:</source>
        <translation>设备(&amp;D)：</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/dialog.py" line="77"/>
        <source>&amp;Sign in on the device</source>
        <translation>在设备上登录(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/dialog.py" line="87"/>
        <source>No registered officer yet: register one on the Devices tab.</source>
        <translation>尚无已登记官员：请在“设备”选项卡登记。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signin/dialog.py" line="89"/>
        <source>No signing device found: plug in your device.</source>
        <translation>未找到签名设备：请插入您的设备。</translation>
    </message>
</context>
<context>
    <name>SigningErrors</name>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="14"/>
        <source>No signing device found</source>
        <translation>未找到签名设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="15"/>
        <source>Plug the device in and unlock it. On Linux install the udev rules from packaging/udev, and close any other app (a wallet, a browser tab) that holds it.</source>
        <translation>请插入并解锁设备。Linux 上请安装 packaging/udev 中的 udev 规则，并关闭占用设备的其他应用（钱包、浏览器标签页）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="22"/>
        <source>This is not the officer&apos;s registered device</source>
        <translation>这不是该官员登记的设备</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="23"/>
        <source>Its key fingerprint does not match the key registered for the officer on duty. Plug in the officer&apos;s own device, or change the officer on duty.</source>
        <translation>其密钥指纹与当班官员登记的密钥不符。请插入该官员本人的设备，或更换当班官员。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="30"/>
        <source>The device is busy</source>
        <translation>设备忙</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="31"/>
        <source>Another request or another app is using it. Finish or close that, then try again.</source>
        <translation>另一请求或应用正在使用该设备。请完成或关闭后重试。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="37"/>
        <source>The device is locked</source>
        <translation>设备已锁定</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="38"/>
        <source>Unlock it with its PIN and try again.</source>
        <translation>请用 PIN 解锁后重试。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="41"/>
        <source>Wrong PIN</source>
        <translation>PIN 错误</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="42"/>
        <source>Nothing was signed. The device counts failed attempts and wipes itself after too many: check the digits on the device before trying again.</source>
        <translation>未签署任何内容。设备会累计失败次数，次数过多将自动清除：重试前请核对设备上的数字。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="49"/>
        <source>Rejected on the device</source>
        <translation>已在设备上拒绝</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="50"/>
        <source>Nothing was signed. If the text on the device differed from the desk&apos;s, report it to security before trying again.</source>
        <translation>未签署任何内容。如果设备上的文本与工作台不同，请在重试前报告安全团队。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="57"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="58"/>
        <source>The request was cancelled. Nothing was signed.</source>
        <translation>请求已取消。未签署任何内容。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="61"/>
        <source>The device was disconnected</source>
        <translation>设备已断开</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="62"/>
        <source>Nothing was signed. Reconnect the device and start again.</source>
        <translation>未签署任何内容。请重新连接设备后重新开始。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="67"/>
        <source>The device did not answer in time</source>
        <translation>设备未及时响应</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="68"/>
        <source>Check that it is awake and unlocked, then retry.</source>
        <translation>请确认设备已唤醒并解锁，然后重试。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="71"/>
        <source>The device sent something unexpected</source>
        <translation>设备返回了意外内容</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="72"/>
        <source>Reconnect it and retry; if it persists, update its firmware.</source>
        <translation>请重新连接并重试；如仍出现，请更新固件。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="77"/>
        <source>The device cannot do this</source>
        <translation>设备不支持此操作</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="78"/>
        <source>Use a device that can sign messages.</source>
        <translation>请使用支持消息签名的设备。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="81"/>
        <source>The statement cannot be shown whole on the device</source>
        <translation>声明无法在设备上完整显示</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="82"/>
        <source>It must be one line of printable ASCII of at most 240 characters. Report this to the desk&apos;s administrators.</source>
        <translation>声明必须是一行不超过 240 个字符的可打印 ASCII。请报告工作台管理员。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="89"/>
        <source>The signature did not verify</source>
        <translation>签名验证失败</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="90"/>
        <source>Nothing was stored as signed. The device signed with a key that is not the officer&apos;s registered key (another passphrase or device?).</source>
        <translation>未保存为已签名。设备使用的密钥不是官员登记的密钥（口令或设备不同？）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="97"/>
        <source>Invalid request</source>
        <translation>无效请求</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="98"/>
        <source>Check the device address and key path.</source>
        <translation>请检查设备地址和密钥路径。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="101"/>
        <source>Refused by policy</source>
        <translation>策略拒绝</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_errors.py" line="102"/>
        <source>The desk&apos;s policy does not allow this signature here.</source>
        <translation>工作台策略不允许在此处进行此签名。</translation>
    </message>
</context>
<context>
    <name>SigningFlow</name>
    <message>
        <location filename="../../app/ui/signing_flow.py" line="47"/>
        <source>Device answered; checking…</source>
        <translation>设备已响应；正在校验…</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_flow.py" line="69"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_flow.py" line="70"/>
        <source>The request was cancelled. Nothing was signed.</source>
        <translation>请求已取消。未签署任何内容。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_flow.py" line="86"/>
        <source>Refused</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_flow.py" line="111"/>
        <source>The device shows the statement: approve or reject it there.</source>
        <translation>设备正在显示声明：请在设备上批准或拒绝。</translation>
    </message>
    <message>
        <location filename="../../app/ui/signing_flow.py" line="117"/>
        <source>Enter the PIN on the device.</source>
        <translation>请在设备上输入 PIN。</translation>
    </message>
</context>
<context>
    <name>StressModel</name>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="326"/>
        <source>Client</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="331"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="334"/>
        <source>Ratio now</source>
        <translation>当前抵押率</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="338"/>
        <source>Collateral ratio now, coloured by the state now</source>
        <translation>当前抵押率，按当前状态着色</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="345"/>
        <source>After shock</source>
        <translation>冲击后</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="349"/>
        <source>Collateral ratio after the shock</source>
        <translation>冲击后的抵押率</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="353"/>
        <source>State now</source>
        <translation>当前状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="359"/>
        <source>State after</source>
        <translation>冲击后状态</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/holdings.py" line="370"/>
        <source>Shortfall (USD)</source>
        <translation>缺口 (USD)</translation>
    </message>
</context>
<context>
    <name>StressPanel</name>
    <message>
        <location filename="../../app/ui/views/stress_panel.py" line="53"/>
        <source>BTC −25%</source>
        <translation>BTC −25%</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/stress_panel.py" line="54"/>
        <source>Alt+B</source>
        <translation>Alt+B</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/stress_panel.py" line="57"/>
        <source>USDC depeg to 0.97</source>
        <translation>USDC 脱锚至 0.97</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/stress_panel.py" line="60"/>
        <source>Reset shocks</source>
        <translation>重置冲击</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/stress_panel.py" line="74"/>
        <source>Stress results</source>
        <translation>压力测试结果</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/stress_panel.py" line="98"/>
        <source>Price shock for %1</source>
        <translation>%1 价格冲击</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/stress_panel.py" line="101"/>
        <source>%1 price change:</source>
        <translation>%1 价格变动：</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/stress_panel.py" line="135"/>
        <source>Computing the shock…</source>
        <translation>正在计算冲击…</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/stress_panel.py" line="148"/>
        <source>The shock could not be computed (see the log).</source>
        <translation>无法计算该冲击（请查看日志）。</translation>
    </message>
    <message>
        <location filename="../../app/ui/views/stress_panel.py" line="164"/>
        <source>No shock applied: set a price change to see who crosses a line.</source>
        <translation>未施加冲击：设置价格变动以查看哪些客户会越线。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/views/stress_panel.py" line="172"/>
        <source>%n client(s) would cross a line: %2. Total shortfall USD %3.</source>
        <translation>
            <numerusform>%n 个客户将越过界线：%2。缺口合计 USD %3。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/views/stress_panel.py" line="182"/>
        <source>No client crosses a line under this shock. Total shortfall USD %1.</source>
        <translation>在此冲击下没有客户越线。总缺口 USD %1。</translation>
    </message>
</context>
<context>
    <name>WaterfallDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/waterfall.py" line="25"/>
        <source>Liquidation waterfall — %1</source>
        <translation>强平瀑布 — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/waterfall.py" line="30"/>
        <source>Shortfall USD %1. Accrued yield is applied first, then assets in the client&apos;s pre-authorised order, never more than needed.</source>
        <translation>缺口 USD %1。先使用应计收益，再按客户预授权顺序处置资产，绝不超过所需。</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/waterfall.py" line="38"/>
        <source>Waterfall steps</source>
        <translation>瀑布步骤</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/waterfall.py" line="43"/>
        <source>Shortfall left after the waterfall: USD %1</source>
        <translation>瀑布后剩余缺口：USD %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/waterfall.py" line="48"/>
        <source>&amp;Sign liquidation instruction</source>
        <translation>签署强平指令(&amp;S)</translation>
    </message>
</context>
<context>
    <name>WaterfallModel</name>
    <message>
        <location filename="../../app/ui/models/desk.py" line="297"/>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="303"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="308"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="314"/>
        <source>Covers (USD)</source>
        <translation>覆盖 (USD)</translation>
    </message>
    <message>
        <location filename="../../app/ui/models/desk.py" line="320"/>
        <source>Shortfall left (USD)</source>
        <translation>剩余缺口 (USD)</translation>
    </message>
</context>
</TS>
