// core/report/report_merge.h -- the JSON reports of runs that ran side by
// side (the shards of one run, on one machine or many) as one report:
// `test-rig report merge`. The rules are in docs/reports.md.
//
//   std::vector<ReportFile> files = {read_report_file("a.json"), ...};
//   MergedReport merged = merge_reports(files, /*force=*/false);  // throws ReportError
//   write_json_report("all.json", merged.report);
//
// Thread tags: [main-thread].
#ifndef TEST_RIG_CORE_REPORT_REPORT_MERGE_H_
#define TEST_RIG_CORE_REPORT_REPORT_MERGE_H_

#include <string>
#include <vector>

#include "core/report/run_report.h"

namespace rig {

struct ReportFile {
  std::string path;
  RunReport report;
};

// Reads a JSON report test-rig wrote; throws ReportError naming the file
// and what is wrong with it.
ReportFile read_report_file(const std::string& path);

struct MergedReport {
  RunReport report;
  // What the user should know about the merge (reports whose runs did not
  // overlap in time, differences --force let through): one line each.
  std::vector<std::string> notes;
};

// Merges reports of the same tests run with the same options. Reports of
// different tests, options or test-rig versions, or shards of different
// runs, are refused with a ReportError naming the difference, unless
// `force`; then the difference becomes a note.
MergedReport merge_reports(const std::vector<ReportFile>& files, bool force);

}  // namespace rig

#endif  // TEST_RIG_CORE_REPORT_REPORT_MERGE_H_
