import { expect } from 'chai';
import { MAX_ANNOTATION, cutAnnotation } from '../../../rules/core/annotation';

describe('rules/core/annotation', () => {
  it('keeps a short annotation, with its whitespace collapsed', () => {
    // Act and Assess
    expect(cutAnnotation('  Route "GET /"\n  has   no authorization. ')).to.equal(
      'Route "GET /" has no authorization.',
    );
  });

  it('cuts a long annotation to 256 characters ending in "..."', () => {
    // Act
    const cut = cutAnnotation('a'.repeat(1000));
    // Assess
    expect(MAX_ANNOTATION).to.equal(256);
    expect(cut).to.have.lengthOf(256);
    expect(cut).to.equal(`${'a'.repeat(253)}...`);
  });

  it('keeps exactly 256 characters whole', () => {
    // Act and Assess
    expect(cutAnnotation('b'.repeat(256))).to.equal('b'.repeat(256));
  });
});
