#!/usr/bin/env python3
# Writes the seed corpora of fuzz_fdb_parse and fuzz_learn_frame: real-shaped
# rtnetlink datagrams and Ethernet frames. Run from the top of the tree.
# The crash-* seeds are not written here: they are the inputs that crashed
# the parser, kept as found.
import struct, os
AF_BRIDGE=7; RTM_NEWNEIGH=28; NLMSG_DONE=3; NLMSG_ERROR=2
NDA_LLADDR=2; NDA_MASTER=9; NDA_VLAN=5
NUD_REACHABLE=0x02; NUD_NOARP=0x40; NUD_PERMANENT=0x80; NUD_STALE=0x04
NTF_SELF=0x02; NTF_MASTER=0x04; NLM_F_MULTI=2
def al(b): return b + b'\0'*((-len(b))%4)
def attr(t, d): return al(struct.pack('=HH', 4+len(d), t) + d)
def mac(s): return bytes(int(x,16) for x in s.split(':'))
def nlmsg(t, payload, flags=NLM_F_MULTI, seq=1, pid=4242):
    return al(struct.pack('=IHHII', 16+len(payload), t, flags, seq, pid) + payload)
def neigh(m, ifindex, master, state, flags, vlan=None):
    p = struct.pack('=BBHiHBB', AF_BRIDGE, 0, 0, ifindex, state, flags, 0)
    p += attr(NDA_LLADDR, mac(m))
    if vlan is not None: p += attr(NDA_VLAN, struct.pack('=H', vlan))
    if master: p += attr(NDA_MASTER, struct.pack('=I', master))
    return nlmsg(RTM_NEWNEIGH, p)
d='tests/fuzz/corpus/fdb_parse/'
def w(path, b): open(path,'wb').write(b)
# A dump datagram as the kernel sends it: learned, static, the port's own, a
# device-list entry, multicast, VLAN-tagged.
w(d+'dump', neigh('52:54:00:00:00:01',3,7,NUD_REACHABLE,NTF_MASTER)
  + neigh('52:54:00:00:00:02',4,7,NUD_NOARP,NTF_MASTER)
  + neigh('02:00:00:00:00:03',3,7,NUD_PERMANENT,NTF_MASTER)
  + neigh('52:54:00:00:00:04',3,0,NUD_PERMANENT,NTF_SELF)
  + neigh('33:33:00:00:00:01',3,7,NUD_REACHABLE,NTF_MASTER)
  + neigh('52:54:00:00:00:05',4,7,NUD_STALE,NTF_MASTER,vlan=10))
w(d+'done', nlmsg(NLMSG_DONE, struct.pack('=i', 0)))
# NLMSG_ERROR carries the error and the request's header.
req = struct.pack('=IHHII', 28, RTM_NEWNEIGH+2, 0x301, 1, 0) + struct.pack('=BBHiHBB', AF_BRIDGE,0,0,0,0,0,0)
w(d+'error-eperm', nlmsg(NLMSG_ERROR, struct.pack('=i', -1) + req[:16], flags=0))
w(d+'ack', nlmsg(NLMSG_ERROR, struct.pack('=i', 0) + req[:16], flags=0x100))
w(d+'entry-then-done', neigh('52:54:00:00:00:09',5,7,NUD_REACHABLE,NTF_MASTER) + nlmsg(NLMSG_DONE, struct.pack('=i', 0)))
# fuzz_port_vlan_parse: RTM_NEWLINK of an AF_BRIDGE dump with
# RTEXT_FILTER_BRVLAN, as the kernel answers for a VLAN-filtering bridge.
RTM_NEWLINK=16; IFLA_MASTER=10; IFLA_AF_SPEC=26; IFLA_BRIDGE_FLAGS=0; IFLA_BRIDGE_VLAN_INFO=2
PVID=2; UNTAGGED=4
def brport(ifindex, vlans):
    p = struct.pack('=BBHiII', AF_BRIDGE, 0, 1, ifindex, 0x11043, 0)
    p += attr(IFLA_MASTER, struct.pack('=I', 7))
    spec = attr(IFLA_BRIDGE_FLAGS, struct.pack('=H', 0)) + b''.join(attr(IFLA_BRIDGE_VLAN_INFO, struct.pack('=HH', f, v)) for f, v in vlans)
    p += attr(IFLA_AF_SPEC, spec)
    return nlmsg(RTM_NEWLINK, p)
d='tests/fuzz/corpus/port_vlan_parse/'
os.makedirs(d, exist_ok=True)
w(d+'dump', brport(2, [(PVID|UNTAGGED, 1)]) + brport(3, [(PVID|UNTAGGED, 10), (0, 20), (UNTAGGED, 30), (0, 4095)])
  + nlmsg(NLMSG_DONE, struct.pack('=i', 0)))
w(d+'trunk-no-pvid', brport(3, [(0, 10), (0, 20), (0, 100)]))
w(d+'error-eopnotsupp', nlmsg(NLMSG_ERROR, struct.pack('=i', -95) + req[:16], flags=0))
d='tests/fuzz/corpus/learn_frame/'
own1=mac('02:00:00:00:00:a0'); own2=mac('02:00:00:00:00:b0')
def eth(dst, src, etype, body, pad=60):
    f = mac(dst)+mac(src)+struct.pack('!H', etype)+body
    return f + b'\0'*max(0, pad-len(f))
arp = struct.pack('!HHBBH', 1, 0x0800, 6, 4, 1) + mac('52:54:00:01:02:03') + bytes([10,0,0,5]) + b'\0'*6 + bytes([10,0,0,1])
# Byte 0: how many own MACs follow (mod 5).
w(d+'arp-request', bytes([2]) + own1 + own2 + eth('ff:ff:ff:ff:ff:ff','52:54:00:01:02:03',0x0806,arp))
w(d+'from-own', bytes([1]) + own1 + eth('52:54:00:01:02:03','02:00:00:00:00:a0',0x0800,b'\x45'+b'\0'*19))
w(d+'vlan-tagged', bytes([0]) + eth('52:54:00:01:02:03','52:54:00:0a:0b:0c',0x8100,struct.pack('!HH',10,0x0800)+b'\x45'+b'\0'*19))
w(d+'priority-tagged', bytes([0]) + eth('ff:ff:ff:ff:ff:ff','52:54:00:0a:0b:0d',0x8100,struct.pack('!HH',0xa000,0x0806)+arp))
w(d+'vlan-4095', bytes([0]) + eth('ff:ff:ff:ff:ff:ff','52:54:00:0a:0b:0e',0x8100,struct.pack('!HH',0x0fff,0x0806)+arp))
w(d+'tag-cut', bytes([0]) + mac('ff:ff:ff:ff:ff:ff') + mac('52:54:00:01:02:03') + b'\x81\x00\x00')
w(d+'mcast-source', bytes([0]) + eth('01:00:5e:00:00:12','01:00:5e:00:00:12',0x0800,b'\x45'+b'\0'*19))
w(d+'runt', bytes([0]) + mac('ff:ff:ff:ff:ff:ff') + mac('52:54:00:01:02:03') + b'\x08')
# Inputs that C strings and fixed line buffers used to cut: a NUL byte in a
# configuration line (the line's tail read as a line of its own), a fence
# agent stdin line longer than the reader's buffer, and one holding a NUL.
d='tests/fuzz/corpus/config/'
w(d+'nul-line.conf', b'[fencer]\nnode = fw2' + b'\0' + b'x'*4084 + b'activate = /tmp/evil\n'
  + b'[switch sw]\ndriver = exec\nagent = /bin/true\noption = port 7\noption = ip\t192.0.2.1\n'
  + b'[announce]\ninterface = em0\ninitial = 0x10s\nstep = 1e3s\nmax = 1.0005s\nrounds = 2\n')
w(d+'vlans.conf', b'[fencer]\nnode = fw2\n[announce]\ninterface = em0 em1\nvlans = 10 20 100-199 untagged\n'
  + b'vlans = 4094-4094 0-3 5-\nmac = 52:54:00:12:34:56 em1 30\nmac = 52:54:00:12:34:57 em0 x\n')
d='tests/fuzz/corpus/agent_parse/'
w(d+'long-line.txt', b'action=status\nport=fw1\ndescription=' + b'A'*5000 + b'action=off\n')
w(d+'nul-line.txt', b'action=status\nport=fw1\0action=off\r\nconfig=/etc/fencer/fencer.conf')
# fuzz_redact: secrets, one a line, then a NUL byte, then the text to mask.
d='tests/fuzz/corpus/redact/'
os.makedirs(d, exist_ok=True)
w(d+'agent-error', b'private-3f9a\nhunter2\n\0snmpset: bad community private-3f9a (hunter2 hunter')
w(d+'overlap', b'abcd\ncdef\nd\n\0xabcdefx dcba [secret] cde')
d='tests/fuzz/corpus/snmp_parse/'
# A record: table (0 lldpRem, 1 lldpLocPort, 2 dot1qTpFdbPort, 3
# hwdot1qTpFdbSetPort, 4 dot1qTpFdbStatus), column, index length and
# sub-identifiers (4 bytes each), value length and bytes, an integer.
def rec(table, col, idx, val=b'', ival=0):
    return bytes([table, col, len(idx)]) + b''.join(struct.pack('<I', i) for i in idx) + bytes([len(val)]) + val + struct.pack('<i', ival)
lm = mac('96:06:d0:3d:12:97')
# LLDP-MIB as lldpd's AgentX sub-agent serves it (the lab's swb).
w(d+'lldpd-agentx', rec(0,4,[200,2,1],ival=4) + rec(0,5,[200,2,1],lm) + rec(0,6,[200,2,1],ival=3)
  + rec(0,7,[200,2,1],lm) + rec(0,8,[200,2,1],b'a0') + rec(0,9,[200,2,1],b'fw1')
  + rec(1,2,[2],ival=3) + rec(1,3,[2],lm) + rec(1,4,[2],b'gi2'))
w(d+'fdb', rec(2,2,[1,0x52,0x54,0,0,0,1],ival=1) + rec(4,3,[1,0x52,0x54,0,0,0,1],ival=3)
  + rec(3,2,[1,0x52,0x54,0,0,0,9],ival=12))
# fuzz_jsonrpc_parse: eAPI and NX-API answers as httpsemu and the switches
# send them (docs/switches/eos.md, nxos.md).
d='tests/fuzz/corpus/jsonrpc_parse/'
os.makedirs(d, exist_ok=True)
w(d+'eapi-status', b'{"jsonrpc":"2.0","id":3,"result":[{"interfaceStatuses":{"Ethernet1":{"linkStatus":"disabled","vlanInformation":{"vlanId":1}}}}]}')
w(d+'eapi-old', b'{"jsonrpc":"2.0","id":4,"result":[{"interfaces":{"Ethernet1":{"interfaceStatus":"connected"}}},{"modelName":"DCS","version":"4.2"}]}')
w(d+'eapi-error', b'{"jsonrpc":"2.0","id":1,"error":{"code":1002,"message":"CLI command 3 of 4 \'interface Ethernet9\' failed: invalid command","data":[{},{},{"errors":["Invalid input (at token 1: \'Ethernet9\')"]}]}}')
w(d+'nxapi-batch', b'[{"jsonrpc":"2.0","result":null,"id":1},{"jsonrpc":"2.0","result":{"body":{"TABLE_interface":{"ROW_interface":{"interface":"Ethernet1/1","state":"down","state_rsn_desc":"Administratively down","admin_state":"down"}}}},"id":2}]')
w(d+'nxapi-error', b'[{"jsonrpc":"2.0","result":null,"id":1},{"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid params","data":{"msg":"% Invalid command at \'^\' marker.\\n"}},"id":2}]')
w(d+'nxapi-version', b'{"jsonrpc":"2.0","result":{"body":{"chassis_id":"Nexus9000","nxos_ver_str":"9.3(8)"}},"id":1}')
w(d+'eapi-macs', b'{"jsonrpc":"2.0","id":5,"result":[{"unicastTable":{"tableEntries":[{"vlanId":1,"macAddress":"52:54:00:12:34:56","entryType":"dynamic","interface":"Ethernet1"}]},"multicastTable":{"tableEntries":[]}}]}')
w(d+'nxapi-macs', b'{"jsonrpc":"2.0","result":{"body":{"TABLE_mac_address":{"ROW_mac_address":[{"disp_mac_addr":"5254.0012.3456","disp_vlan":"1","disp_port":"Ethernet1/1"},{"disp_mac_addr":"5254.0000.0001","disp_port":"Ethernet1/2"}]}}},"id":1}')
w(d+'aruba-port', b'{"uri":"/ports/1","id":"1","name":"","is_port_enabled":false,"is_port_up":false,"config_mode":"PCM_AUTO"}')
w(d+'aruba-login', b'{"uri":"/login-sessions","cookie":"sessionId=QmFzZTY0c2Vzc2lvbg-_"}')
w(d+'aruba-cli', b'{"cmd":"clear mac-address port 9","status":"CCS_SUCCESS","error_msg":"","result_base64_encoded":"SW52YWxpZCBpbnB1dDogOQo="}')
w(d+'aruba-version', b'{"version_element":[{"version":"v1.0"},{"version":"v3.0"},{"version":"v4.0"}]}')
