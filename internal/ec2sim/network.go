// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// A zone is an availability zone of a region.
type zone struct {
	name, id string
}

var regionPattern = regexp.MustCompile(`^([a-z]{2})-([a-z]+)-(\d+)$`)

// zonesOf returns three zones <region>a, b and c with zone IDs in the AWS
// style, for example use1-az1 for us-east-1a.
func zonesOf(region string) []zone {
	prefix := strings.ReplaceAll(region, "-", "")
	if m := regionPattern.FindStringSubmatch(region); m != nil {
		dir := m[2]
		switch dir {
		case "northeast", "southeast", "northwest", "southwest":
			dir = dir[:1] + dir[5:6]
		default:
			dir = dir[:1]
		}
		prefix = m[1] + dir + m[3]
	}
	out := make([]zone, 0, 3)
	for i, l := range []string{"a", "b", "c"} {
		out = append(out, zone{name: region + l, id: prefix + "-az" + strconv.Itoa(i+1)})
	}
	return out
}

func (r *regionState) zoneByName(name string) (zone, bool) {
	for _, z := range r.zones {
		if z.name == name {
			return z, true
		}
	}
	return zone{}, false
}

func (r *regionState) zoneByID(id string) (zone, bool) {
	for _, z := range r.zones {
		if z.id == id {
			return z, true
		}
	}
	return zone{}, false
}

type vpc struct {
	id               string
	cidr             netip.Prefix
	tags             tagMap
	mainRouteTableID string
}

type subnet struct {
	id    string
	vpcID string
	cidr  netip.Prefix
	zone  zone
	tags  tagMap
	// used holds the private addresses held by NAT gateways.
	used map[netip.Addr]bool
}

// size is the number of addresses of the subnet.
func (s *subnet) size() int {
	return 1 << (32 - s.cidr.Bits())
}

// available is availableIpAddressCount: AWS keeps five addresses per subnet.
func (s *subnet) available() int {
	return s.size() - 5 - len(s.used)
}

// reserved reports whether AWS keeps the address: the first four and the
// last of the subnet.
func (s *subnet) reserved(a netip.Addr) bool {
	base := s.cidr.Masked().Addr()
	off := addrOffset(base, a)
	return off < 4 || off == s.size()-1
}

func addrOffset(base, a netip.Addr) int {
	b, x := base.As4(), a.As4()
	bi := int(b[0])<<24 | int(b[1])<<16 | int(b[2])<<8 | int(b[3])
	xi := int(x[0])<<24 | int(x[1])<<16 | int(x[2])<<8 | int(x[3])
	return xi - bi
}

// claim takes a private address: the given one, or the lowest free one. It
// returns "" when it cannot take one; callers check the given address and
// the number of free addresses first.
func (s *subnet) claim(want string) string {
	if want != "" {
		a, err := netip.ParseAddr(want)
		if err != nil || !a.Is4() || !s.cidr.Contains(a) || s.reserved(a) || s.used[a] {
			return ""
		}
		s.used[a] = true
		return a.String()
	}
	a := s.cidr.Masked().Addr()
	for range s.size() {
		if !s.reserved(a) && !s.used[a] {
			s.used[a] = true
			return a.String()
		}
		a = a.Next()
	}
	return ""
}

func (s *subnet) release(ip string) {
	if a, err := netip.ParseAddr(ip); err == nil {
		delete(s.used, a)
	}
}

var (
	vpcIDPattern    = regexp.MustCompile(`^vpc-[0-9a-f]{8}([0-9a-f]{9})?$`)
	subnetIDPattern = regexp.MustCompile(`^subnet-[0-9a-f]{8}([0-9a-f]{9})?$`)
)

func (r *regionState) lookupVpc(id string) (*vpc, *APIError) {
	if !vpcIDPattern.MatchString(id) {
		return nil, clientError(codeInvalidVpcIDMalformed, "Invalid id: \"%s\"", id)
	}
	v, ok := r.vpcs[id]
	if !ok {
		return nil, clientError(codeInvalidVpcIDNotFound, "The vpc ID '%s' does not exist", id)
	}
	return v, nil
}

func (r *regionState) lookupSubnet(id string) (*subnet, *APIError) {
	if !subnetIDPattern.MatchString(id) {
		return nil, clientError(codeInvalidSubnetIDMalformed, "Invalid id: \"%s\"", id)
	}
	s, ok := r.subnets[id]
	if !ok {
		return nil, clientError(codeInvalidSubnetIDNotFound, "The subnet ID '%s' does not exist", id)
	}
	return s, nil
}

type vpcXML struct {
	VpcID           string      `xml:"vpcId"`
	OwnerID         string      `xml:"ownerId"`
	State           string      `xml:"state"`
	CidrBlock       string      `xml:"cidrBlock"`
	DhcpOptionsID   string      `xml:"dhcpOptionsId"`
	InstanceTenancy string      `xml:"instanceTenancy"`
	IsDefault       bool        `xml:"isDefault"`
	Tags            set[tagXML] `xml:"tagSet"`
}

func (r *regionState) vpcXML(v *vpc) vpcXML {
	return vpcXML{VpcID: v.id, OwnerID: r.ownerID, State: stateAvailable, CidrBlock: v.cidr.String(),
		DhcpOptionsID: "default", InstanceTenancy: "default", Tags: v.tags.xml()}
}

func parseCidr(param, s string, minBits, maxBits int) (netip.Prefix, *APIError) {
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() {
		return netip.Prefix{}, clientError(codeInvalidParameterValue, "Value (%s) for parameter %s is invalid. This is not a valid CIDR block.", s, param)
	}
	if p.Bits() < minBits || p.Bits() > maxBits {
		return netip.Prefix{}, nil
	}
	return p.Masked(), nil
}

func createVpc(c *call) (any, *APIError) {
	cidrStr, err := c.q.required("CidrBlock")
	if err != nil {
		return nil, err
	}
	cidr, err := parseCidr("cidrBlock", cidrStr, 16, 28)
	if err != nil {
		return nil, err
	}
	if !cidr.IsValid() {
		return nil, clientError(codeInvalidVpcRange, "The CIDR '%s' is invalid.", cidrStr)
	}
	if t := c.q.opt("InstanceTenancy"); t != "" && t != "default" {
		return nil, errInvalidValue("InstanceTenancy", t, "Only the default tenancy is supported.")
	}
	tags, err := c.q.tagSpecifications("vpc")
	if err != nil {
		return nil, err
	}
	if err := checkTags(tags); err != nil {
		return nil, err
	}
	if err := c.ready(); err != nil {
		return nil, err
	}
	v := &vpc{id: c.r.newID("vpc"), cidr: cidr, tags: newTags(tags)}
	c.r.vpcs[v.id] = v
	rt := c.r.newRouteTable(v, true)
	v.mainRouteTableID = rt.id
	out := struct {
		requestIDField

		Vpc vpcXML `xml:"vpc"`
	}{Vpc: c.r.vpcXML(v)}
	out.Vpc.State = "pending"
	return &out, nil
}

func describeVpcs(c *call) (any, *APIError) {
	ids, next, err := describe(c, listing[*vpc]{
		idParam:    "VpcId",
		maxResults: 1000,
		objects:    c.r.vpcs,
		lookup:     c.r.lookupVpc,
		matches: func(v *vpc, fs []filter) bool {
			return matchFilters(fs, v.tags, func(name string) []string { return c.r.vpcValues(v, name) })
		},
	}, "vpc-id", "state", "is-default", "cidr", "cidr-block", "owner-id", "dhcp-options-id")
	if err != nil {
		return nil, err
	}
	out := struct {
		requestIDField

		Vpcs      set[vpcXML] `xml:"vpcSet"`
		NextToken string      `xml:"nextToken,omitempty"`
	}{NextToken: next}
	for _, id := range ids {
		out.Vpcs.Items = append(out.Vpcs.Items, c.r.vpcXML(c.r.vpcs[id]))
	}
	return &out, nil
}

// vpcValues returns the values of a VPC for a filter name.
func (r *regionState) vpcValues(v *vpc, name string) []string {
	switch name {
	case "vpc-id":
		return []string{v.id}
	case "state":
		return []string{stateAvailable}
	case "is-default":
		return []string{"false"}
	case "cidr", "cidr-block":
		return []string{v.cidr.String()}
	case "owner-id":
		return []string{r.ownerID}
	case "dhcp-options-id":
		return []string{"default"}
	}
	return nil
}

type subnetXML struct {
	SubnetID                string      `xml:"subnetId"`
	SubnetArn               string      `xml:"subnetArn"`
	State                   string      `xml:"state"`
	OwnerID                 string      `xml:"ownerId"`
	VpcID                   string      `xml:"vpcId"`
	CidrBlock               string      `xml:"cidrBlock"`
	AvailableIPAddressCount int         `xml:"availableIpAddressCount"`
	AvailabilityZone        string      `xml:"availabilityZone"`
	AvailabilityZoneID      string      `xml:"availabilityZoneId"`
	DefaultForAz            bool        `xml:"defaultForAz"`
	MapPublicIPOnLaunch     bool        `xml:"mapPublicIpOnLaunch"`
	Tags                    set[tagXML] `xml:"tagSet"`
}

func (r *regionState) subnetXML(s *subnet) subnetXML {
	return subnetXML{
		SubnetID: s.id, SubnetArn: "arn:aws:ec2:" + r.key.region + ":" + r.ownerID + ":subnet/" + s.id,
		State: stateAvailable, OwnerID: r.ownerID, VpcID: s.vpcID, CidrBlock: s.cidr.String(),
		AvailableIPAddressCount: s.available(), AvailabilityZone: s.zone.name, AvailabilityZoneID: s.zone.id,
		Tags: s.tags.xml(),
	}
}

func createSubnet(c *call) (any, *APIError) {
	vpcID, err := c.q.required("VpcId")
	if err != nil {
		return nil, err
	}
	cidrStr, err := c.q.required("CidrBlock")
	if err != nil {
		return nil, err
	}
	azName, azID := c.q.opt("AvailabilityZone"), c.q.opt("AvailabilityZoneId")
	tags, err := c.q.tagSpecifications("subnet")
	if err != nil {
		return nil, err
	}
	if err := checkTags(tags); err != nil {
		return nil, err
	}
	v, err := c.r.lookupVpc(vpcID)
	if err != nil {
		return nil, err
	}
	cidr, err := parseCidr("cidrBlock", cidrStr, 16, 28)
	if err != nil {
		return nil, err
	}
	if !cidr.IsValid() || !prefixContains(v.cidr, cidr) {
		return nil, clientError(codeInvalidSubnetRange, "The CIDR '%s' is invalid.", cidrStr)
	}
	for _, other := range c.r.subnets {
		if other.vpcID == vpcID && other.cidr.Overlaps(cidr) {
			return nil, clientError(codeInvalidSubnetConflict, "The CIDR '%s' conflicts with another subnet", cidrStr)
		}
	}
	z := c.r.zones[0]
	switch {
	case azName != "" && azID != "":
		return nil, errCombination("The parameters AvailabilityZone and AvailabilityZoneId cannot be used together")
	case azName != "":
		var ok bool
		if z, ok = c.r.zoneByName(azName); !ok {
			return nil, errInvalidValue("AvailabilityZone", azName, "Subnets can currently only be created in the following availability zones: "+zoneNames(c.r.zones)+".")
		}
	case azID != "":
		var ok bool
		if z, ok = c.r.zoneByID(azID); !ok {
			return nil, errInvalidValue("AvailabilityZoneId", azID, "Unknown availability zone ID.")
		}
	}
	if err := c.ready(); err != nil {
		return nil, err
	}
	s := &subnet{id: c.r.newID("subnet"), vpcID: vpcID, cidr: cidr, zone: z, tags: newTags(tags), used: map[netip.Addr]bool{}}
	c.r.subnets[s.id] = s
	out := struct {
		requestIDField

		Subnet subnetXML `xml:"subnet"`
	}{Subnet: c.r.subnetXML(s)}
	return &out, nil
}

func zoneNames(zs []zone) string {
	names := make([]string, 0, len(zs))
	for _, z := range zs {
		names = append(names, z.name)
	}
	return strings.Join(names, ", ")
}

func describeSubnets(c *call) (any, *APIError) {
	ids, next, err := describe(c, listing[*subnet]{
		idParam:    "SubnetId",
		maxResults: 1000,
		objects:    c.r.subnets,
		lookup:     c.r.lookupSubnet,
		matches: func(s *subnet, fs []filter) bool {
			return matchFilters(fs, s.tags, func(name string) []string { return c.r.subnetValues(s, name) })
		},
	}, "subnet-id", "vpc-id", "availability-zone", "availability-zone-id", "cidr-block", "cidr", "state", "default-for-az", "owner-id")
	if err != nil {
		return nil, err
	}
	out := struct {
		requestIDField

		Subnets   set[subnetXML] `xml:"subnetSet"`
		NextToken string         `xml:"nextToken,omitempty"`
	}{NextToken: next}
	for _, id := range ids {
		out.Subnets.Items = append(out.Subnets.Items, c.r.subnetXML(c.r.subnets[id]))
	}
	return &out, nil
}

// subnetValues returns the values of a subnet for a filter name.
func (r *regionState) subnetValues(s *subnet, name string) []string {
	switch name {
	case "subnet-id":
		return []string{s.id}
	case "vpc-id":
		return []string{s.vpcID}
	case "availability-zone":
		return []string{s.zone.name}
	case "availability-zone-id":
		return []string{s.zone.id}
	case "cidr-block", "cidr":
		return []string{s.cidr.String()}
	case "state":
		return []string{stateAvailable}
	case "default-for-az":
		return []string{"false"}
	case "owner-id":
		return []string{r.ownerID}
	}
	return nil
}

type zoneXML struct {
	ZoneName           string        `xml:"zoneName"`
	ZoneState          string        `xml:"zoneState"`
	RegionName         string        `xml:"regionName"`
	ZoneID             string        `xml:"zoneId"`
	ZoneType           string        `xml:"zoneType"`
	OptInStatus        string        `xml:"optInStatus"`
	GroupName          string        `xml:"groupName"`
	NetworkBorderGroup string        `xml:"networkBorderGroup"`
	Messages           set[struct{}] `xml:"messageSet"`
}

func describeAvailabilityZones(c *call) (any, *APIError) {
	names := c.q.strings("ZoneName")
	zoneIDs := c.q.strings("ZoneId")
	if _, err := c.q.boolean("AllAvailabilityZones"); err != nil {
		return nil, err
	}
	fs, err := c.q.filters()
	if err != nil {
		return nil, err
	}
	if err := checkFilters(fs, "zone-name", "zone-id", "region-name", "state", "zone-type", "group-name", "opt-in-status", "network-border-group"); err != nil {
		return nil, err
	}
	for _, n := range names {
		if _, ok := c.r.zoneByName(n); !ok {
			return nil, errInvalidValue("ZoneName", n, "Invalid availability zone: ["+n+"]")
		}
	}
	for _, id := range zoneIDs {
		if _, ok := c.r.zoneByID(id); !ok {
			return nil, errInvalidValue("ZoneId", id, "Invalid availability zone: ["+id+"]")
		}
	}
	if err := c.ready(); err != nil {
		return nil, err
	}
	out := struct {
		requestIDField

		Zones set[zoneXML] `xml:"availabilityZoneInfo"`
	}{}
	for _, z := range c.r.zones {
		if (len(names) > 0 || len(zoneIDs) > 0) && !slices.Contains(names, z.name) && !slices.Contains(zoneIDs, z.id) {
			continue
		}
		region := c.r.key.region
		if !matchFilters(fs, nil, func(name string) []string { return zoneValues(z, region, name) }) {
			continue
		}
		out.Zones.Items = append(out.Zones.Items, zoneXML{ZoneName: z.name, ZoneState: stateAvailable, RegionName: region,
			ZoneID: z.id, ZoneType: "availability-zone", OptInStatus: "opt-in-not-required", GroupName: region, NetworkBorderGroup: region})
	}
	return &out, nil
}

// zoneValues returns the values of a zone of the region for a filter name.
func zoneValues(z zone, region, name string) []string {
	switch name {
	case "zone-name":
		return []string{z.name}
	case "zone-id":
		return []string{z.id}
	case "region-name", "group-name", "network-border-group":
		return []string{region}
	case "state":
		return []string{stateAvailable}
	case "zone-type":
		return []string{"availability-zone"}
	case "opt-in-status":
		return []string{"opt-in-not-required"}
	}
	return nil
}
