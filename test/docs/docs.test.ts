/** The docs an auditor reads stay in step with the registry, the queries and each other. */
import { expect } from 'chai';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { RULES } from '../../rules/index';
import { COMMON_PARAMETERS, type ParameterSpec } from '../../rules/core/parameters';
import { DEFAULT_EXCEPTION_PREFIX, expiryKey, justificationKey } from '../../rules/core/exceptions';
import { listQueries } from '../../cli/queries';
import { MAX_ANNOTATION } from '../../rules/core/annotation';
import { MAX_EVALUATIONS_PER_CALL } from '../../rules/core/delivery';
import { CORE_CODES } from '../../rules/core/codes';

const ROOT = join(__dirname, '..', '..');
const DOCS = join(ROOT, 'docs');
const read = (path: string): string => readFileSync(path, 'utf8');

function markdownFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? markdownFiles(join(directory, entry.name))
      : entry.name.endsWith('.md')
        ? [join(directory, entry.name)]
        : [],
  );
}

/** Every markdown file of the repository (not node_modules or build output). */
function repositoryMarkdown(directory: string): string[] {
  const skip = new Set(['node_modules', 'dist', 'cdk.out', 'coverage', '.git']);
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? skip.has(entry.name)
        ? []
        : repositoryMarkdown(join(directory, entry.name))
      : entry.name.endsWith('.md')
        ? [join(directory, entry.name)]
        : [],
  );
}

/**
 * Every link of a markdown page that leaves the repository or points to no file: inline links and images, reference
 * definitions, autolinks and HTML href/src. A link with a scheme (https:, file:, …) always leaves the repository.
 */
function linkProblems(file: string, text: string): { target: string; reason: string }[] {
  const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const targets = [
    ...[...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1] ?? ''),
    ...[...prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$/gm)].map((match) => match[1] ?? ''),
    ...[...prose.matchAll(/<([a-z][a-z0-9+.-]*:[^>\s]+)>/gi)].map((match) => match[1] ?? ''),
    ...[...prose.matchAll(/\b(?:href|src)\s*=\s*["']([^"']+)["']/gi)].map((match) => match[1] ?? ''),
  ];
  const problems: { target: string; reason: string }[] = [];
  for (const target of targets) {
    if (target.startsWith('#')) continue;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
      problems.push({ target, reason: 'leaves the repository' });
      continue;
    }
    const path = resolve(dirname(file), decodeURI(target.replace(/#.*$/, '')));
    const inside = relative(ROOT, path);
    if (inside === '..' || inside.startsWith(`..${sep}`))
      problems.push({ target, reason: 'leaves the repository' });
    else if (!existsSync(path)) problems.push({ target, reason: 'no such file' });
  }
  return problems;
}

/** The row of a markdown table whose first cell is `name` in backticks. */
function parameterRow(page: string, name: string): string | undefined {
  return page.split('\n').find((line) => new RegExp(`^\\|\\s*\`${name}\`\\s*\\|`).test(line));
}

function jsonBlocks(markdown: string): unknown[] {
  return [...markdown.matchAll(/```json\n([\s\S]*?)```/g)].map(
    (match) => JSON.parse(match[1] ?? '') as unknown,
  );
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** Condition keys verified against the Service Authorization Reference (see docs/guardrails.md "Sources"). */
const VERIFIED_CONDITION_KEYS = new Set([
  'aws:TagKeys',
  'aws:PrincipalArn',
  'apigateway:Request/RouteAuthorizationType',
  'kafka:publicAccessEnabled',
  'elasticache:AuthTokenEnabled',
  'elasticache:EngineVersion',
]);
const isVerifiedKey = (key: string): boolean =>
  VERIFIED_CONDITION_KEYS.has(key) || key.startsWith('aws:RequestTag/') || key.startsWith('aws:ResourceTag/');

describe('docs/', () => {
  describe('a page per control', () => {
    it('has exactly the registry controls under docs/controls/', () => {
      // Act
      const pages = readdirSync(join(DOCS, 'controls')).filter((file) => file.endsWith('.md'));
      // Assess
      expect(pages.sort()).to.deep.equal(RULES.map((rule) => `${rule.control}.md`).sort());
    });

    for (const rule of RULES) {
      describe(`docs/controls/${rule.control}.md`, () => {
        const path = join(DOCS, 'controls', `${rule.control}.md`);
        const page = existsSync(path) ? read(path) : '';

        it('names the control, its title, Config rule and resource type', () => {
          // Act and Assess
          expect(page.split('\n')[0]).to.equal(`# ${rule.control} — ${rule.title}`);
          expect(page).to.include(`\`${rule.ruleName}\``);
          expect(page).to.include(`\`${rule.ruleName}-conformance-pack-<suffix>\``);
          expect(page).to.include(`\`${rule.resourceType}\``);
        });

        it('says what is checked, each verdict, how it differs from the managed rule, the exceptions and the fix', () => {
          // Act and Assess
          for (const heading of [
            '## What is checked',
            '## Verdicts, and why',
            "## How it differs from AWS's managed rule",
            '## Exceptions',
            '## The fix',
            '## Parameters',
          ]) {
            expect(page, heading).to.include(`\n${heading}\n`);
          }
          for (const verdict of ['`COMPLIANT`', '`NON_COMPLIANT`', '`NOT_APPLICABLE`'])
            expect(page).to.include(verdict);
        });

        it('shows the exception tags of this control, with an example', () => {
          // Act and Assess
          expect(page).to.include(justificationKey(DEFAULT_EXCEPTION_PREFIX, rule.control));
          expect(page).to.include(expiryKey(DEFAULT_EXCEPTION_PREFIX, rule.control));
          expect(page).to.match(/```sh\n[\s\S]*(tag-resource|add-tags-to-resource)[\s\S]*?```/);
        });

        it('gives the fix as commands of the service CLI the remediation hint uses', () => {
          // Prepare
          const hint =
            rule.remediationHint?.({
              resourceType: rule.resourceType,
              resourceId: 'id',
              region: 'eu-west-1',
            }) ?? '';
          const cli = /\baws [a-z0-9-]+/.exec(hint)?.[0];
          // Act and Assess
          expect(cli, 'the hint names an aws CLI command').to.be.a('string');
          const fixSection = page.slice(page.indexOf('## The fix'), page.indexOf('## Parameters'));
          expect(fixSection).to.include('```sh');
          expect(fixSection).to.include(`${cli ?? ''} `);
        });

        const parameters: [string, ParameterSpec<unknown>][] = [
          ...Object.entries(rule.parameters),
          ...Object.entries(COMMON_PARAMETERS),
        ];
        for (const [name, spec] of parameters) {
          it(`documents the parameter ${name}, its default and allowed values`, () => {
            // Act
            const row = parameterRow(page, name);
            // Assess
            expect(row, `a "| \`${name}\` |" row in the Parameters table`).to.be.a('string');
            if (spec.defaultText !== '') {
              for (const value of spec.defaultText.split(',')) expect(row).to.include(value);
            }
            for (const value of spec.allowedValues ?? []) expect(row).to.include(`\`${value}\``);
          });
        }

        it('documents no parameter the rule does not take', () => {
          // Prepare
          const known = new Set([...Object.keys(rule.parameters), ...Object.keys(COMMON_PARAMETERS)]);
          const section = page.slice(page.indexOf('## Parameters'));
          const end = section.indexOf('\n## ', 3);
          const rows = (end === -1 ? section : section.slice(0, end))
            .split('\n')
            .filter((line) => /^\|\s*`[A-Za-z]+`\s*\|/.test(line));
          // Act and Assess
          for (const row of rows)
            expect(known.has(/^\|\s*`([A-Za-z]+)`/.exec(row)?.[1] ?? ''), row).to.equal(true);
        });

        it('lists exactly the reason codes its decision gives, each with its verdict', () => {
          // Prepare
          const start = page.indexOf('\n## Reason codes\n');
          const end = page.indexOf('\n## ', start + 4);
          const rows = (start === -1 ? '' : page.slice(start, end))
            .split('\n')
            .filter((line) => /^\|\s*`[a-z0-9-]+`\s*\|/.test(line));
          // Act
          const listed = rows.map((row) => /^\|\s*`([a-z0-9-]+)`/.exec(row)?.[1] ?? '');
          // Assess
          expect(listed).to.have.members([...rule.codes]);
          for (const row of rows)
            expect(row).to.match(/\|\s*`(COMPLIANT|NON_COMPLIANT|NOT_APPLICABLE)`\s*\|/);
        });
      });
    }
  });

  it('names every code core gives, whatever the rule, in the behaviour contract', () => {
    // Prepare
    const contract = read(join(DOCS, 'behaviour.md'));
    // Act and Assess
    for (const code of Object.values(CORE_CODES)) expect(contract).to.include(`\`${code}\``);
  });

  it('references every query file from a doc', () => {
    // Prepare
    const all = markdownFiles(DOCS).map(read).join('\n');
    // Act and Assess
    for (const query of listQueries()) expect(all, query.name).to.include(`queries/${query.name}.sql`);
  });

  it('has the guide to exceptions, the architecture and the guardrails', () => {
    // Act and Assess
    for (const file of ['exceptions.md', 'architecture.md', 'guardrails.md'])
      expect(existsSync(join(DOCS, file)), file).to.equal(true);
    const guardrails = read(join(DOCS, 'guardrails.md'));
    for (const rule of RULES) expect(guardrails).to.include(`## ${rule.control}`);
    expect(guardrails).to.include('## How findings reach Security Hub');
    const architecture = read(join(DOCS, 'architecture.md'));
    expect(architecture).to.include('## How to add a control');
  });

  describe('links', () => {
    it('finds every kind of link, and flags each one that leaves the repository or points nowhere', () => {
      // Prepare: a page as someone might write it, in docs/.
      const page = [
        'See [the contract](behaviour.md#exceptions), [an image](../README.md "title") and [home](#top).',
        'Outside: [design](../../shared/design/CONTROLS.md), [AWS](https://docs.aws.amazon.com/config/),',
        '<https://example.com/x>, [ref][r], <a href="file:///etc/passwd">x</a>, [missing](nothing-here.md).',
        '',
        '[r]: http://example.com/ref',
      ].join('\n');
      // Act
      const problems = linkProblems(join(DOCS, 'page.md'), page).map((problem) => problem.target);
      // Assess
      expect(problems).to.deep.equal([
        '../../shared/design/CONTROLS.md',
        'https://docs.aws.amazon.com/config/',
        'nothing-here.md',
        'http://example.com/ref',
        'https://example.com/x',
        'file:///etc/passwd',
      ]);
    });

    it('in README.md, docs/ and every other markdown file point to files inside the repository', () => {
      // Act
      const files = repositoryMarkdown(ROOT);
      const problems = files.flatMap((file) =>
        linkProblems(file, read(file)).map(
          ({ target, reason }) => `${relative(ROOT, file)}: ${target} (${reason})`,
        ),
      );
      // Assess
      expect(files.map((file) => relative(ROOT, file))).to.include.members([
        'README.md',
        'docs/behaviour.md',
        'CHANGELOG.md',
      ]);
      expect(problems).to.deep.equal([]);
    });
  });

  describe('docs/behaviour.md, the behaviour contract', () => {
    const contract = read(join(DOCS, 'behaviour.md'));
    const section = (heading: string): string => {
      const start = contract.indexOf(`\n## ${heading}\n`);
      if (start === -1) return '';
      const end = contract.indexOf('\n## ', start + 4);
      return end === -1 ? contract.slice(start) : contract.slice(start, end);
    };

    for (const rule of RULES) {
      it(`has a section for ${rule.control} with its rule name, resource type, trigger and every parameter`, () => {
        // Act
        const text = section(`${rule.control} — ${rule.title}`).replace(/\s+/g, ' ');
        // Assess
        expect(text, `a "## ${rule.control} — ${rule.title}" section`).not.to.equal('');
        expect(text).to.include(`Config rule \`${rule.ruleName}\``);
        expect(text).to.include(`resource type \`${rule.resourceType}\``);
        expect(text).to.include(
          rule.trigger.kind === 'periodic'
            ? `periodic (\`${rule.trigger.defaultFrequency}\` by default)`
            : 'configuration change',
        );
        const own = Object.keys(rule.parameters);
        if (own.length === 0) expect(text).to.include('No parameters of its own');
        for (const name of own) expect(text, name).to.include(`\`${name}\``);
        for (const verdict of ['`COMPLIANT`', '`NON_COMPLIANT`']) expect(text).to.include(verdict);
      });
    }

    it('has the sections every rule shares, naming the common parameters and the delivery limits', () => {
      // Act and Assess
      for (const heading of [
        'For every rule',
        'Exceptions',
        'Events (change-triggered rules)',
        'Periodic rules and PutEvaluations',
      ])
        expect(section(heading), heading).not.to.equal('');
      for (const name of Object.keys(COMMON_PARAMETERS))
        expect(section('For every rule')).to.include(`\`${name}\``);
      expect(section('For every rule')).to.include(`at most ${MAX_ANNOTATION} characters`);
      expect(section('Periodic rules and PutEvaluations')).to.include(
        `batches of at most ${MAX_EVALUATIONS_PER_CALL}`,
      );
      expect(section('Exceptions')).to.include(justificationKey(DEFAULT_EXCEPTION_PREFIX, '<Control>'));
      expect(section('Exceptions')).to.include(expiryKey(DEFAULT_EXCEPTION_PREFIX, '<Control>'));
    });
  });

  describe('example policies', () => {
    const policies = ['exceptions.md', 'guardrails.md'].flatMap((file) =>
      jsonBlocks(read(join(DOCS, file))).map((policy) => ({
        file,
        policy: policy as { Version?: string; Statement?: Statement[] },
      })),
    );

    it('are valid JSON IAM policies', () => {
      // Act and Assess
      expect(policies.length).to.be.greaterThan(4);
      for (const { file, policy } of policies) {
        expect(policy.Version, file).to.equal('2012-10-17');
        expect(policy.Statement, file).to.be.an('array').that.is.not.empty;
        expect(JSON.stringify(policy).length, `${file}: an SCP holds at most 5,120 characters`).to.be.below(
          5120,
        );
      }
    });

    it('use only condition keys verified against the Service Authorization Reference', () => {
      // Act and Assess
      for (const { file, policy } of policies) {
        for (const statement of policy.Statement ?? []) {
          for (const operator of Object.values(statement.Condition ?? {})) {
            for (const key of Object.keys(operator))
              expect(isVerifiedKey(key), `${file}: ${key}`).to.equal(true);
          }
        }
      }
    });

    it('restrict the exception tags by aws:TagKeys with the default prefix', () => {
      // Prepare
      const [scp] = jsonBlocks(read(join(DOCS, 'exceptions.md'))) as { Statement: Statement[] }[];
      const first = scp?.Statement[0];
      // Act and Assess
      expect(first?.Effect).to.equal('Deny');
      expect(first?.Condition?.['ForAnyValue:StringLike']?.['aws:TagKeys']).to.deep.equal([
        `${DEFAULT_EXCEPTION_PREFIX}*`,
      ]);
      for (const action of [
        'appsync:TagResource',
        'kafka:TagResource',
        'elasticache:AddTagsToResource',
        'dms:AddTagsToResource',
        'apigateway:POST',
      ]) {
        expect(first?.Action).to.include(action);
      }
    });
  });
});
