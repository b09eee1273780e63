/**
 * The library entry point (index.ts): what `import … from 'authn-pack'` gives.
 */
import { expect } from 'chai';
import * as library from '../index';
import { RULES } from '../rules/index';

describe('library index', () => {
  it("exports every registered control's decision, the same function the Config rule runs", () => {
    // Prepare
    const exported = new Set<unknown>(Object.values(library));
    // Act
    const missing = RULES.filter((rule) => !exported.has(Reflect.get(rule, 'evaluate'))).map(
      (rule) => rule.control,
    );
    // Assess
    expect(missing).to.deep.equal([]);
  });
});
