/**
 * The CDK app (cdk.json: `npx tsx deploy/app.ts`). Settings come from context: `cdk synth -c mode=organization
 * -c organizationId=o-… …`; deploy/README.md lists them. Synthesizes offline: no lookups, local esbuild, no Docker.
 */
import { App } from 'aws-cdk-lib';
import { buildDeployment } from './stacks';

const app = new App();
buildDeployment(app);
app.synth();
