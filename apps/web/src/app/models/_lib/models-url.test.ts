import { describe, expect, it } from "vitest";
import { NO_MODEL_FILTERS } from "./model-rows";
import { DEFAULT_MODELS_SORT, type ModelsView, modelsViewParams, parseModelsView } from "./models-url";

const parse = (query: string) => parseModelsView(new URLSearchParams(query));

describe("the Models page's view in its URL", () => {
  it("round-trips sort, filters and page", () => {
    const view: ModelsView = {
      filters: { hostId: 3, type: "llm", status: "failed", text: "qwen 8b" },
      sort: { key: "limit", direction: "ascending" },
      page: 2,
    };
    const query = modelsViewParams(view).toString();
    expect(query).toBe("host=3&type=llm&status=failed&q=qwen+8b&sort=limit&dir=asc&page=2");
    expect(parse(query)).toEqual(view);
  });

  it("leaves the default view out of the URL", () => {
    const view = { filters: NO_MODEL_FILTERS, sort: DEFAULT_MODELS_SORT, page: 1 };
    expect(modelsViewParams(view).toString()).toBe("");
    expect(parse("")).toEqual(view);
  });

  it("a sort column without a direction starts as a click on its header would", () => {
    expect(parse("sort=limit").sort).toEqual({ key: "limit", direction: "descending" });
    expect(parse("sort=model").sort).toEqual({ key: "model", direction: "ascending" });
  });

  it("ignores what it does not know instead of failing", () => {
    const view = parse("host=-2&status=exploded&sort=price&dir=sideways&page=0&type=");
    expect(view).toEqual({ filters: NO_MODEL_FILTERS, sort: DEFAULT_MODELS_SORT, page: 1 });
    expect(parse("host=1.5&page=1e3").filters.hostId).toBe("all");
    expect(parse("page=99999999999").page).toBe(1);
  });
});
