/**
 * Reading template text as CloudFormation does: what cfn-lint (PyYAML) accepts is read to the same value, errors name
 * the line and column of the problem, and any node's line can be asked for, in JSON and in YAML.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CLOUDFORMATION_TAGS, SHORT_FORMS } from '../../../rules/core/template';
import { SourceError, readSource, type PathStep } from '../../../rules/core/template-source';

const MSK_CLIENT = join(__dirname, '..', '..', 'fixtures', 'templates', 'msk-client-multiline-sub.yaml');

const TAGS = { yaml: CLOUDFORMATION_TAGS, shortForms: SHORT_FORMS };
const read = (text: string, file = 'stack.yaml', reader: 'fast' | 'diagnostic' = 'fast') =>
  readSource(text, file, TAGS, reader);

/** What cfn-lint's own YAML reader (PyYAML with CloudFormation's tags) makes of a file, as JSON. */
async function cfnLintValue(file: string): Promise<unknown> {
  const script =
    'import json,sys\nfrom cfnlint.decode import cfn_yaml\nprint(json.dumps(cfn_yaml.load(sys.argv[1])))';
  const { stdout } = await promisify(execFile)('python3', ['-c', script, file]);
  return JSON.parse(stdout);
}

describe('rules/core/template-source', () => {
  describe('YAML that cfn-lint and CloudFormation accept', () => {
    it('reads a multi-line quoted !Sub indented left of its key to the value cfn-lint reads', async function () {
      this.timeout(30_000);
      // Prepare
      const text = readFileSync(MSK_CLIENT, 'utf8');
      // Act
      const source = read(text, MSK_CLIENT);
      // Assess
      expect(source.value).to.deep.equal(await cfnLintValue(MSK_CLIENT));
      const userData = (
        source.value as { Resources: Record<string, { Properties: Record<string, unknown> }> }
      ).Resources.KafkaClientInstance?.Properties.UserData;
      expect(JSON.stringify(userData)).to.include('echo \\"cluster ${Cluster}\\" >> client.properties');
    });

    it('keeps the lines of the nodes after a repaired string', () => {
      // Prepare
      const text = readFileSync(MSK_CLIENT, 'utf8');
      const lineOf = (prefix: string) => text.split('\n').findIndex((line) => line.startsWith(prefix)) + 1;
      // Act
      const source = read(text);
      // Assess
      expect(source.lineOf(['Outputs', 'ClusterArn'])).to.equal(lineOf('  ClusterArn:'));
    });
  });

  describe('the fast YAML reader reads what the yaml package reads', () => {
    const rows: readonly { title: string; text: string }[] = [
      {
        title: 'short forms as scalar, list and mapping',
        text: 'a: !Ref X\nb: !Join [",", [!Ref Y, z]]\nc: !Transform {Name: AWS::Include}\nd: !GetAtt A.B.C\n',
      },
      {
        title: 'a nested short form in a long one',
        text: 'a:\n  Fn::If: [C, !Sub "${A}", !Ref AWS::NoValue]\n',
      },
      {
        title: 'dates stay text, numbers are numbers',
        text: 'expires: 2099-12-31\noctal: 0o17\nhex: 0x1F\nfloat: 1e3\nplain: 1_000\nempty: ~\nyes: yes\n',
      },
      {
        title: 'block scalars keep or fold their lines',
        text: 'literal: |\n  one\n  two\nfolded: >-\n  one\n  two\n',
      },
      { title: 'a repeated key keeps its last value', text: 'a: 1\nb: 2\na: 3\n' },
      { title: 'quoted keys and a merge key that is only a key', text: '"a b": 1\n\'c\': 2\n<<: {d: 3}\n' },
      {
        title: 'a multi-line double-quoted string with escapes',
        text: 'a: "one\\ttwo\n  three \\"four\\""\n',
      },
    ];
    for (const row of rows) {
      it(row.title, () => {
        // Act
        const fast = read(row.text);
        const diagnostic = read(row.text, 'stack.yaml', 'diagnostic');
        // Assess
        expect(fast.reader).to.equal('events');
        expect(diagnostic.reader).to.equal('yaml-package');
        expect(fast.value).to.deep.equal(diagnostic.value);
      });
    }

    it('leaves aliases and several documents to the yaml package, which bounds and refuses them', () => {
      // Act
      const alias = read('base: &b {x: 1}\ncopy: *b\n');
      const documents = () => read('a: 1\n---\nb: 2\n');
      // Assess
      expect(alias.reader).to.equal('yaml-package');
      expect(alias.value).to.deep.equal({ base: { x: 1 }, copy: { x: 1 } });
      expect(documents).to.throw(SourceError, /multiple documents/);
    });
  });

  describe('parse errors: file, line and column of the problem', () => {
    const rows: readonly { title: string; text: string; line: number; column: number; reason: RegExp }[] = [
      {
        title: 'a key indented more than the one above it: the line of that key, not the line before',
        text: 'Resources:\n  A:\n    Type: X\n      Properties: {}\n',
        line: 4,
        column: 17,
        reason: /a key where a value was expected/,
      },
      {
        title: 'a key indented less than its siblings: the key, not the spaces before it',
        text: 'Resources:\n  A:\n    Type: X\n   Properties: {}\n',
        line: 4,
        column: 4,
        reason: /All mapping items must start at the same column/,
      },
      {
        title: 'a quoted string that never closes: where it opens',
        text: 'Resources:\n  A:\n    Type: "X\n    Properties: {}\n',
        line: 3,
        column: 11,
        reason: /double-quoted string opened here is never closed/,
      },
      {
        title: 'a bracket that never closes: where it opens',
        text: 'Resources:\n  R: [unclosed\n',
        line: 2,
        column: 6,
        reason: /Flow sequence/,
      },
      {
        title: 'a tab as indentation',
        text: 'Resources:\n  A:\n\tType: X\n',
        line: 3,
        column: 1,
        reason: /Tabs are not allowed/,
      },
    ];
    for (const row of rows) {
      it(row.title, () => {
        // Act
        const parse = () => read(row.text);
        // Assess
        expect(parse).to.throw(SourceError);
        try {
          parse();
        } catch (error) {
          const failure = error as SourceError;
          expect([failure.line, failure.column], failure.message).to.deep.equal([row.line, row.column]);
          expect(failure.reason).to.match(row.reason);
          expect(failure.message).to.match(
            new RegExp(`^stack\\.yaml:${row.line}:${row.column}: not a readable template: `),
          );
          expect(failure.message, 'no excerpt of the yaml package').to.not.include('\n');
        }
      });
    }
  });

  describe('lines of nodes', () => {
    const yaml = [
      'Resources:', //                              1
      '  Fn:', //                                   2
      '    Type: AWS::Serverless::Function', //     3
      '    Properties:', //                         4
      '      Events:', //                           5
      '        Get:', //                            6
      '          Type: HttpApi', //                 7
      '        Post: {Type: HttpApi}', //           8
      '      Layers:', //                           9
      '        - !Ref Layer', //                    10
      '        - arn:aws:lambda:x', //              11
    ].join('\n');
    const value = {
      Resources: {
        Fn: {
          Type: 'AWS::Serverless::Function',
          Properties: {
            Events: { Get: { Type: 'HttpApi' }, 'Po"st': { Type: 'HttpApi' } },
            Layers: ['a', 'b'],
          },
        },
      },
    };
    const json = JSON.stringify(value, null, 2);
    const jsonLine = (needle: string) => json.split('\n').findIndex((line) => line.includes(needle)) + 1;
    const rows: readonly { title: string; text: string; path: PathStep[]; line: number | undefined }[] = [
      { title: 'YAML: a resource', text: yaml, path: ['Resources', 'Fn'], line: 2 },
      {
        title: 'YAML: an event',
        text: yaml,
        path: ['Resources', 'Fn', 'Properties', 'Events', 'Get'],
        line: 6,
      },
      {
        title: 'YAML: a key in a flow mapping',
        text: yaml,
        path: ['Resources', 'Fn', 'Properties', 'Events', 'Post', 'Type'],
        line: 8,
      },
      {
        title: 'YAML: a list item',
        text: yaml,
        path: ['Resources', 'Fn', 'Properties', 'Layers', 1],
        line: 11,
      },
      { title: 'YAML: a key that is not there', text: yaml, path: ['Resources', 'Nope'], line: undefined },
      { title: 'JSON: a resource', text: json, path: ['Resources', 'Fn'], line: jsonLine('"Fn"') },
      {
        title: 'JSON: a key with an escaped quote',
        text: json,
        path: ['Resources', 'Fn', 'Properties', 'Events', 'Po"st', 'Type'],
        line: jsonLine('"Po\\"st"') + 1,
      },
      {
        title: 'JSON: a list item',
        text: json,
        path: ['Resources', 'Fn', 'Properties', 'Layers', 1],
        line: jsonLine('"b"'),
      },
      { title: 'JSON: past a scalar', text: json, path: ['Resources', 'Fn', 'Type', 'x'], line: undefined },
    ];
    for (const row of rows) {
      it(row.title, () => {
        // Act
        const line = read(row.text).lineOf(row.path);
        const diagnostic = read(row.text, 'stack.yaml', 'diagnostic').lineOf(row.path);
        // Assess
        expect(line).to.equal(row.line);
        expect(diagnostic, 'the yaml package finds the same line').to.equal(row.line);
      });
    }

    it('reads JSON through JSON.parse, and text that is not strict JSON as YAML, as CloudFormation does', () => {
      // Act
      const strict = read('{"Resources": {"A": {"Type": "X"}}}');
      const trailingComma = read('{"Resources": {"A": {"Type": "X"},}}');
      // Assess
      expect([strict.format, trailingComma.format]).to.deep.equal(['json', 'yaml']);
      expect(trailingComma.value).to.deep.equal(strict.value);
    });
  });
});
