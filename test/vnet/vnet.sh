#!/bin/sh
# Guest side of the host-to-guest test (test/vnet/run), run by /init when the command line has vnet=N: eth0 configured with busybox, httpd and an echo server for the host, then the network tables (ifconfig, route, ip, netstat, /proc/net/dev).
ok=1
fail() { echo "VNET-FAIL $*"; ok=0; }
ifconfig eth0 10.0.2.15 netmask 255.255.255.0 up || fail ifconfig
route add default gw 10.0.2.2 || fail route
echo "VNET-IFCONFIG-BEGIN"
ifconfig eth0
echo "VNET-IFCONFIG-END"
echo "VNET-ROUTE-BEGIN"
route -n
echo "VNET-ROUTE-END"
echo "VNET-IP-BEGIN"
ip -4 addr show dev eth0
ip route show
echo "VNET-IP-END"
mkdir -p /tmp/www
echo "<html>served by the guest</html>" >/tmp/www/index.html
httpd -p 8080 -h /tmp/www || fail httpd
# httpd forks into the background before it listens: wait until the table shows its socket.
i=0
until netstat -ltn 2>/dev/null | grep -q ':8080 '; do
	i=$((i + 1))
	[ $i -lt 600 ] || { fail "httpd never listened"; break; }
	sleep 0.1
done
/tests/vnet_server 7777 "$vnet" || fail "echo server"
echo "VNET-NETSTAT-BEGIN"
netstat -tan
echo "VNET-NETSTAT-END"
echo "VNET-DEV-BEGIN"
cat /proc/net/dev
echo "VNET-DEV-END"
[ $ok = 1 ] && echo "VNET-END ok" || echo "VNET-END failed"
poweroff -f
