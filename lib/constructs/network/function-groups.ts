import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { FunctionReach } from './function-security-group';
import { FunctionSecurityGroup } from './function-security-group';
import type { GatewayService } from './gateway-prefix-lists';

/**
 * AWS APIs that functions in the VPC call through the NAT gateway, and why no VPC endpoint serves
 * them. Nothing else is reached over the internet.
 */
export const APIS_WITHOUT_PRIVATE_ENDPOINT: Readonly<Record<string, string>> = {
  'cognito-idp':
    'user pools with a domain (the tenant pool has one, for its hosted sign-in) refuse requests ' +
    'that come through an interface endpoint (AWS PrivateLink)',
};

const COGNITO = 'Cognito user pools (no usable VPC endpoint: the tenant pool has a domain)';

/** The names of the function families (`network.functionGroups.<name>`). */
export type FunctionFamily =
  | 'adminRegistryApi'
  | 'adminUserApi'
  | 'lifecycleSweep'
  | 'archiveWorker'
  | 'purgeWorker'
  | 'databaseBootstrap'
  | 'secretRotation';

/**
 * The function families of the platform in one region and where each may send traffic.
 * `peerRegion`: the environment's other region, whose file replica the archive worker cleans.
 */
export function functionFamilies(peerRegion?: string): Record<FunctionFamily, FunctionReach> {
  return {
    adminRegistryApi: {
      description: 'Admin API status and settings handlers: the registry only, no database',
      interfaceApis: ['xray'],
      gatewayApis: ['dynamodb'],
      database: false,
    },
    adminUserApi: {
      description:
        'Admin API deactivate and reactivate handlers: registry and Cognito, no database',
      interfaceApis: ['xray'],
      gatewayApis: ['dynamodb'],
      publicHttps: COGNITO,
      database: false,
    },
    lifecycleSweep: {
      description: 'Lifecycle sweep: registry and job queues, no database',
      interfaceApis: ['sqs', 'xray'],
      gatewayApis: ['dynamodb'],
      database: false,
    },
    archiveWorker: {
      description: 'Archive worker: registry, file and archive buckets, and the database',
      interfaceApis: ['xray'],
      gatewayApis: ['s3', 'dynamodb'],
      publicHttps: peerRegion
        ? `S3 in ${peerRegion} (the file replica it cleans; a gateway endpoint serves only its own region)`
        : undefined,
      database: true,
    },
    purgeWorker: {
      description: 'Purge worker: registry, archive bucket and Cognito, no database',
      interfaceApis: ['xray'],
      gatewayApis: ['s3', 'dynamodb'],
      publicHttps: COGNITO,
      database: false,
    },
    databaseBootstrap: {
      description: 'Database bootstrap custom resource: the master secret and the database',
      interfaceApis: ['secretsmanager', 'xray'],
      gatewayApis: [],
      database: true,
    },
    secretRotation: {
      description: 'Rotation of the database master secret: Secrets Manager and the database',
      interfaceApis: ['secretsmanager'],
      gatewayApis: [],
      database: true,
    },
  };
}

export interface FunctionGroupsProps {
  readonly vpc: ec2.IVpc;
  /** Security group of the VPC's interface endpoints. */
  readonly endpointSecurityGroup: ec2.ISecurityGroup;
  /** Prefix-list ids of the gateway endpoints. */
  readonly prefixLists: Readonly<Record<GatewayService, string>>;
  /** The environment's other region, if any (see `functionFamilies`). */
  readonly peerRegion?: string;
}

/** One security group per function family (`functionFamilies`), each with its exact egress. */
export class FunctionGroups extends Construct {
  /** The group of each family. */
  readonly groups: Readonly<Record<FunctionFamily, ec2.SecurityGroup>>;
  /** The groups of the families that talk to the database: exactly these are admitted to it. */
  readonly databaseClients: readonly ec2.SecurityGroup[];

  constructor(scope: Construct, id: string, props: FunctionGroupsProps) {
    super(scope, id);
    const families = functionFamilies(props.peerRegion);
    const groups = {} as Record<FunctionFamily, FunctionSecurityGroup>;
    for (const family of Object.keys(families) as FunctionFamily[]) {
      groups[family] = new FunctionSecurityGroup(this, capitalised(family), {
        vpc: props.vpc,
        endpointSecurityGroup: props.endpointSecurityGroup,
        prefixLists: props.prefixLists,
        reach: families[family],
      });
    }
    this.groups = groups;
    this.databaseClients = Object.values(groups).filter((group) => group.reach.database);
  }
}

function capitalised(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
