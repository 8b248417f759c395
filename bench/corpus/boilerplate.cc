#include "boilerplate.h"

#include <algorithm>
#include <numeric>
#include <utility>

#include "text.h"

namespace neardup::gen {
namespace {

constexpr size_t kSiteCount = 20;

// Non-ASCII characters of the templates, as UTF-8 bytes.
constexpr std::string_view kCopyrightSign = "\xc2\xa9";
constexpr std::string_view kEmDash = "\xe2\x80\x94";
constexpr std::string_view kMiddleDot = "\xc2\xb7";
constexpr std::string_view kGuillemet = "\xc2\xbb";
constexpr std::string_view kBullet = "\xe2\x80\xa2";

constexpr std::string_view kSiteAdjectives[] = {"Daily",   "Evening",    "Northern", "Global",
                                                "Metro",   "Valley",     "Capital",  "Coastal",
                                                "Morning", "Independent"};
constexpr std::string_view kSiteNouns[] = {"Herald",   "Ledger",  "Chronicle", "Courier", "Gazette",
                                           "Observer", "Tribune", "Review",    "Digest",  "Post"};
constexpr std::string_view kSections[] = {"News",     "World",   "Local",   "Business",
                                          "Politics", "Science", "Culture", "Sport",
                                          "Travel",   "Opinion", "Health",  "Archive"};
constexpr std::string_view kRelatedHeadings[] = {
    "Related articles", "You may also like:", "Read more", "More from this section"};

std::string Headline(const std::vector<std::string_view>& vocabulary, Rng& rng) {
  const size_t words = 4 + rng.Below(5);
  std::string text;
  for (size_t i = 0; i < words; ++i) {
    if (i > 0) text += ' ';
    text += vocabulary[rng.Below(vocabulary.size())];
  }
  text[0] = AsciiUpper(text[0]);
  return text;
}

std::string CopyrightLine(const std::string& name, const std::string& domain, Rng& rng) {
  const std::string year = std::to_string(2005 + rng.Below(11));
  const std::string sign(kCopyrightSign);
  switch (rng.Below(3)) {
    case 0:
      return sign + " " + year + " " + name + ". All rights reserved.";
    case 1:
      return "Copyright " + sign + " " + year + " " + domain + " " + std::string(kEmDash) +
             " All Rights Reserved";
    default:
      return "(c) " + year + " " + name + " Media Group | Privacy Policy | Terms of Use";
  }
}

SiteTemplate MakeSiteTemplate(std::string_view adjective, std::string_view noun,
                              const std::vector<std::string_view>& vocabulary, Rng& rng) {
  const std::string name = "The " + std::string(adjective) + " " + std::string(noun);
  std::string domain;
  for (const char c : std::string(adjective) + std::string(noun)) {
    domain += AsciiLower(c);
  }
  domain += ".com";

  const std::string nav_separators[] = {" | ", " / ",
                                        std::string(" ").append(kMiddleDot).append(" ")};
  const std::string& separator = Pick(nav_separators, rng);
  std::string nav = "Home";
  for (const std::string_view section : kSections) {
    if (rng.Chance(0.5)) nav += separator + std::string(section);
  }
  const std::string bullets[] = {std::string(kGuillemet) + " ", std::string(kBullet) + " ", "- "};
  const std::string& bullet = Pick(bullets, rng);
  const std::string share = "Share: Facebook " + std::string(kMiddleDot) + " Twitter " +
                            std::string(kMiddleDot) + " Email";

  SiteTemplate site;
  auto add = [&](const std::string& text, bool in_header, size_t position) {
    site.push_back({text, in_header, CountTokens(text), position});
  };
  add(name, true, 0);
  add(CopyrightLine(name, domain, rng), false, 100);
  add(nav, true, 1);
  const size_t links = 3 + rng.Below(3);
  for (size_t i = 0; i < links; ++i) {
    add(bullet + Headline(vocabulary, rng), false, 3 + i);
  }
  add(std::string(Pick(kRelatedHeadings, rng)), false, 2);
  add(share, false, 99);
  return site;
}

}  // namespace

std::vector<SiteTemplate> MakeSiteTemplates(const std::vector<std::string_view>& vocabulary,
                                            Rng& rng) {
  // Distinct (adjective, noun) pairs, so no two sites share a name.
  std::vector<size_t> names(std::size(kSiteAdjectives) * std::size(kSiteNouns));
  std::iota(names.begin(), names.end(), 0);
  Shuffle(names, rng);
  std::vector<SiteTemplate> sites;
  for (size_t i = 0; i < kSiteCount; ++i) {
    sites.push_back(MakeSiteTemplate(kSiteAdjectives[names[i] % std::size(kSiteAdjectives)],
                                     kSiteNouns[names[i] / std::size(kSiteAdjectives)], vocabulary,
                                     rng));
  }
  return sites;
}

// Wraps `text` in the site's header and/or footer lines, adding lines in the

size_t AddBoilerplate(std::string& text, const SiteTemplate& site, unsigned placement,
                      size_t word_budget) {
  std::vector<const SiteLine*> chosen;
  size_t words = 0;
  for (const SiteLine& line : site) {
    if (!(placement & (line.in_header ? kHeader : kFooter))) continue;
    if (words + line.words > word_budget) break;
    words += line.words;
    chosen.push_back(&line);
  }
  if (chosen.empty()) return 0;
  std::sort(chosen.begin(), chosen.end(),
            [](const SiteLine* a, const SiteLine* b) { return a->position < b->position; });
  std::string page;
  for (const SiteLine* line : chosen) {
    if (line->in_header) page += line->text + '\n';
  }
  page += text;
  for (const SiteLine* line : chosen) {
    if (!line->in_header) page += '\n' + line->text;
  }
  text = std::move(page);
  return chosen.size();
}

}  // namespace neardup::gen
