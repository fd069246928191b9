import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../core/resource-view';
import type { IsoRule } from '../core/rule';
import { defineRule } from '../core/rule';
import { literalList, literalObject, literalString } from '../core/values';

/** ELB security policies that allow only TLS 1.2 or newer. */
export function isTls12Policy(policy: string): boolean {
  return (
    /^ELBSecurityPolicy-TLS13-/.test(policy) ||
    /^ELBSecurityPolicy-TLS-1-2-/.test(policy) ||
    /^ELBSecurityPolicy-FS-1-2-/.test(policy)
  );
}

/**
 * The ELB security policies a listener may use: the given names (each must be a TLS 1.2+ policy,
 * or this throws naming it), else every TLS 1.2+ policy.
 */
function allowedPolicy(allowed: readonly string[] | undefined): (policy: string) => boolean {
  if (allowed === undefined) return isTls12Policy;
  const weak = allowed.filter((policy) => !isTls12Policy(policy));
  if (weak.length > 0) {
    throw new Error(
      `allowedLoadBalancerTlsPolicies: ${weak.join(', ')} allow(s) TLS older than 1.2; list only ` +
        'ELBSecurityPolicy-TLS13-*, ELBSecurityPolicy-TLS-1-2-* or ELBSecurityPolicy-FS-1-2-* policies.',
    );
  }
  return (policy) => allowed.includes(policy);
}

/**
 * A listener is HTTPS / TLS with a TLS 1.2+ security policy, or HTTP whose every default action
 * redirects to HTTPS. No `SslPolicy` means `ELBSecurityPolicy-2016-08`, which allows TLS 1.0.
 * TCP / UDP listeners pass traffic through untouched and are not applicable.
 *
 * Own rule: cdk-nag's `ELBTlsHttpsListenersOnly` covers classic load balancers only, and
 * `ALBHttpToHttpsRedirection` does not look at the security policy.
 *
 * @param allowed the policies HTTPS / TLS listeners may use (default: every TLS 1.2+ policy)
 */
export function loadBalancerListenerTls12(allowed?: readonly string[]): IsoRule {
  const isAllowed = allowedPolicy(allowed);
  return defineRule('LoadBalancerListenerTls12', (node) => {
    if (node.cfnResourceType !== 'AWS::ElasticLoadBalancingV2::Listener') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const props = viewOf(node).properties;
    const protocol = literalString(props.Protocol, 'Protocol');
    if (protocol === 'HTTPS' || protocol === 'TLS') {
      const policy = literalString(props.SslPolicy, 'SslPolicy');
      return policy !== undefined && isAllowed(policy)
        ? NagRuleCompliance.COMPLIANT
        : NagRuleCompliance.NON_COMPLIANT;
    }
    if (protocol !== 'HTTP') return NagRuleCompliance.NOT_APPLICABLE;
    const actions = literalList(props.DefaultActions, 'DefaultActions');
    const redirects =
      actions.length > 0 &&
      actions.every((item, i) => {
        const action = literalObject(item, `DefaultActions.${i}`) ?? {};
        const redirect = literalObject(action.RedirectConfig, `DefaultActions.${i}.RedirectConfig`);
        return (
          action.Type === 'redirect' &&
          literalString(redirect?.Protocol, `DefaultActions.${i}.RedirectConfig.Protocol`) ===
            'HTTPS'
        );
      });
    return redirects ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  });
}

/** `loadBalancerListenerTls12` with its default: every TLS 1.2+ policy is allowed. */
export const LoadBalancerListenerTls12 = loadBalancerListenerTls12();
