import { describe, expect, it } from "vitest";
import { xmlProblem } from "./xml";

describe("xmlProblem", () => {
  it("accepts well-formed XML", () => {
    expect(xmlProblem('<svg a="1" b=\'x &amp; y\'><g><path d="M0,0"/></g><text>a &lt; b</text><!-- c --></svg>')).toBeUndefined();
  });
  it.each([
    ["<svg><g></svg>", /closes/],
    ["<svg>", /unclosed <svg>/],
    ['<svg a="1" a="2"/>', /duplicate/],
    ["<svg a=1/>", /attribute syntax/],
    ["<svg>a & b</svg>", /bare '&'/],
    ["<svg/><svg/>", /more than one root/],
    ["text", /outside the root|no root/],
  ])("rejects %s", (xml, problem) => {
    expect(xmlProblem(xml)).toMatch(problem);
  });
});
