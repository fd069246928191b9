import { DnsFailover } from '../constructs/ingress/dns-failover';
import type { IngressStack } from './ingress-stack';

/**
 * With `monitoring.hostedZone` in the environment's config, the failover records and health
 * checks of the service's name (`ingress.domainName`, the load balancer) and the admin API's
 * (`ingress.apiDomainName`) in the region's Ingress stack. Without it, nothing.
 */
export function addDnsFailover(ingress: IngressStack): DnsFailover | undefined {
  const { target, names } = ingress;
  const zone = target.env.monitoring?.hostedZone;
  if (!zone) return undefined;
  const alb = ingress.loadBalancer.loadBalancer;
  const api = ingress.adminApi.domain;
  return new DnsFailover(ingress, 'DnsFailover', {
    hostedZoneId: zone.hostedZoneId,
    zoneName: zone.zoneName,
    failover: target.role === 'primary' ? 'PRIMARY' : 'SECONDARY',
    setIdentifier: target.region,
    namePrefix: names.physical('ingress'),
    field: `environments.${target.envName}.monitoring.hostedZone`,
    names: [
      {
        id: 'app',
        domainName: target.env.ingress.domainName,
        targetDnsName: alb.loadBalancerDnsName,
        targetHostedZoneId: alb.loadBalancerCanonicalHostedZoneId,
        evaluateTargetHealth: true,
      },
      {
        id: 'api',
        domainName: target.env.ingress.apiDomainName,
        targetDnsName: api.regionalDomainName,
        targetHostedZoneId: api.regionalHostedZoneId,
      },
    ],
  });
}
