/** Subnet group names of every platform VPC; constructs select subnets by these. */
export const SUBNET_GROUPS = {
  /** Load balancers and NAT gateways only. */
  public: 'Ingress',
  /** Compute: Lambdas, containers. Egress through NAT. */
  private: 'Compute',
  /** Databases: no route to an internet or NAT gateway; NACL admits only the VPC. */
  isolated: 'Database',
} as const;
