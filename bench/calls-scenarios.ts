/**
 * SIPp scenarios of the call benchmarks (bench/calls.ts), written to a scratch folder.
 *
 * Set-up rate: the caller sends INVITE, answers the 407 with digest (a new challenge per
 * call, as phones meet it), gets 200, sends ACK and at once BYE; the callee answers 200
 * with SDP, takes ACK and BYE. No RTP.
 * Relayed calls: the same set-up, but both SDPs name the load generator's sockets, each side
 * logs the switch's media port of its call (`<log>`, read by the benchmark while it runs) and
 * the caller hangs up after `hold` ms.
 *
 * Injection columns of the caller: field0 = device, field1 = [authentication ...], field2 = number.
 * SIPp's [branch-N] is the branch of the message N elements earlier: the ACK of the 407
 * belongs to the first INVITE's transaction (RFC 3261 §17.1.1.3).
 */

const invite = (cseq: number, auth: string, mediaPort: string): string => `
  <send retrans="500">
    <![CDATA[
      INVITE sip:[field2]@pbx.local SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];rport;branch=[branch]
      From: <sip:[field0]@pbx.local>;tag=[pid]SIPpTag[call_number]
      To: <sip:[field2]@pbx.local>
      Call-ID: [call_id]
      CSeq: ${cseq} INVITE
      Contact: <sip:[field0]@[local_ip]:[local_port];transport=[transport]>${auth}
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=bench 1 1 IN IP4 [local_ip]
      s=-
      c=IN IP4 127.0.0.1
      t=0 0
      m=audio ${mediaPort} RTP/AVP 0
      a=rtpmap:0 PCMU/8000
      a=sendrecv
    ]]>
  </send>`;

const inDialog = (method: string, cseq: number, retrans: boolean): string => `
  <send${retrans ? ' retrans="500"' : ''}>
    <![CDATA[
      ${method} [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];rport;branch=[branch]
      From: <sip:[field0]@pbx.local>;tag=[pid]SIPpTag[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: ${cseq} ${method}
      [routes]
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>`;

/** The caller: `mediaPort` for its SDP; `hold` ms between ACK and BYE (0: at once); `logPort` logs the switch's port. */
export function callerScenario(o: { mediaPort: number; holdMs: number; logPort: boolean }): string {
  const on200 = o.logPort
    ? `
    <action>
      <ereg regexp="m=audio ([0-9]+)" search_in="body" check_it="true" assign_to="mline,port"/>
      <log message="a [$port]"/>
    </action>`
    : '';
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="bench caller">${invite(1, '', String(o.mediaPort))}
  <recv response="100" optional="true"/>
  <recv response="407" auth="true"/>
  <send>
    <![CDATA[
      ACK sip:[field2]@pbx.local SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];rport;branch=[branch-3]
      From: <sip:[field0]@pbx.local>;tag=[pid]SIPpTag[call_number]
      To: <sip:[field2]@pbx.local>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>${invite(2, '\n      [field1]', String(o.mediaPort))}
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rrs="true">${on200}
  </recv>${inDialog('ACK', 2, false)}
${o.holdMs > 0 ? `  <pause milliseconds="${o.holdMs}"/>` : ''}${inDialog('BYE', 3, true)}
  <recv response="200"/>
${o.logPort ? '  <Reference variables="mline"/>\n' : ''}</scenario>
`;
}

/** The callee: answers every INVITE with SDP naming `mediaPort`; `logPort` logs the switch's port. */
export function calleeScenario(o: { mediaPort: number; logPort: boolean }): string {
  const onInvite = o.logPort
    ? `
    <action>
      <ereg regexp="m=audio ([0-9]+)" search_in="body" check_it="true" assign_to="mline,port"/>
      <log message="b [$port]"/>
    </action>`
    : '';
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="bench callee">
  <recv request="INVITE" crlf="true">${onInvite}
  </recv>
  <send retrans="500">
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=benchuas 1 1 IN IP4 [local_ip]
      s=-
      c=IN IP4 127.0.0.1
      t=0 0
      m=audio ${o.mediaPort} RTP/AVP 0
      a=rtpmap:0 PCMU/8000
      a=sendrecv
    ]]>
  </send>
  <recv request="ACK" crlf="true"/>
  <recv request="BYE"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
${o.logPort ? '  <Reference variables="mline"/>\n' : ''}  <timewait milliseconds="2000"/>
</scenario>
`;
}
