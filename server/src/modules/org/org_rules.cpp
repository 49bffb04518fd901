#include "modules/org/org_rules.hpp"

#include <algorithm>
#include <deque>
#include <tuple>
#include <utility>

#include "api/json_body.hpp"
#include "core/crypto.hpp"
#include "modules/auth/passwords.hpp"
#include "modules/auth/roles.hpp"

namespace safeloop::org {

namespace {

constexpr std::string_view kFullWidthSlash = "／";

std::string TooLong(size_t max_chars) {
    return "最多 " + std::to_string(max_chars) + " 个字 / at most " + std::to_string(max_chars) + " characters";
}

}  // namespace

bool IsValidLogin(std::string_view login) {
    if (login.size() < kMinLoginChars || login.size() > kMaxLoginChars) return false;
    return std::all_of(login.begin(), login.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    });
}

bool IsValidMobile(std::string_view mobile) {
    if (mobile.size() != kMobileDigits || mobile.front() != '1') return false;
    return std::all_of(mobile.begin(), mobile.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::vector<std::string>> SplitDepartmentPath(std::string_view path) {
    std::vector<std::string> parts;
    std::string current;
    auto flush = [&]() -> bool {
        std::string part = api::Trim(current);
        current.clear();
        if (part.empty()) return false;
        parts.push_back(std::move(part));
        return true;
    };
    size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '/') {
            if (!flush()) return std::nullopt;
            ++i;
        } else if (path.substr(i, kFullWidthSlash.size()) == kFullWidthSlash) {
            if (!flush()) return std::nullopt;
            i += kFullWidthSlash.size();
        } else {
            current.push_back(path[i]);
            ++i;
        }
    }
    if (!flush()) return std::nullopt;
    return parts;
}

bool CreatesCycle(const Links& links, const std::string& node, const std::optional<std::string>& new_parent) {
    std::set<std::string, std::less<>> seen;
    std::optional<std::string> current = new_parent;
    while (current) {
        if (*current == node) return true;
        // A loop that does not pass through `node` is not this change's doing; stop walking it.
        if (!seen.insert(*current).second) return false;
        auto it = links.find(*current);
        if (it == links.end()) return false;
        current = it->second;
    }
    return false;
}

Result<Placement> ResolvePlacement(const Placement& current, const PlacementChange& change,
                                   const PlacementFacts& facts) {
    Placement out;
    out.team_id = change.team_id.Apply(current.team_id);
    std::optional<std::string> team_department;
    if (out.team_id) team_department = facts.team_department(*out.team_id);

    if (change.department_id.present) {
        out.department_id = change.department_id.value;
    } else if (change.team_id.present && out.team_id) {
        out.department_id = team_department;
    } else {
        out.department_id = current.department_id;
    }
    if (out.team_id && team_department != out.department_id) {
        AppError e = AppError::Invalid("team_not_in_department",
                                       "班组不属于所选部门 / The team does not belong to the department");
        e.fields.emplace("team_id", "班组不属于所选部门 / not a team of the department");
        return e;
    }

    std::optional<std::string> department_site;
    if (out.department_id) department_site = facts.department_site(*out.department_id);
    if (change.site_id.present) {
        out.site_id = change.site_id.value;
        if (out.site_id && department_site && *department_site != *out.site_id) {
            return AppError::Validation("site_id", "与所在部门的厂区不一致 / differs from the department's site");
        }
    } else if (department_site && (out.department_id != current.department_id || !current.site_id)) {
        out.site_id = department_site;
    } else {
        out.site_id = current.site_id;
    }
    return out;
}

Visibility VisibilityFor(const api::Principal& principal) {
    Visibility v;
    v.kind = "self";
    v.self_id = principal.user_id;
    v.supervisor_id = principal.supervisor_id;
    switch (principal.scope) {
        case api::Scope::kTenant: v.kind = "tenant"; break;
        case api::Scope::kSite:
            if (principal.site_id) {
                v.kind = "site";
                v.anchor_id = principal.site_id;
            }
            break;
        case api::Scope::kDepartment:
            if (principal.department_id) {
                v.kind = "department";
                v.anchor_id = principal.department_id;
            }
            break;
        case api::Scope::kTeam:
            if (principal.team_id) {
                v.kind = "team";
                v.anchor_id = principal.team_id;
            }
            break;
        case api::Scope::kSelf: break;
    }
    return v;
}

// ---- Organisation import ----

size_t ImportPlan::CreatedUsers() const {
    return static_cast<size_t>(std::count_if(users.begin(), users.end(), [](const auto& u) { return !u.before; }));
}

size_t ImportPlan::UpdatedUsers() const { return users.size() - CreatedUsers(); }

namespace {

// A row's text field: a string (trimmed), a whole number where spreadsheets produce numbers, or null.
bool ReadRowText(const boost::json::object& object, std::string_view key, bool number_ok, std::string& out) {
    auto it = object.find(key);
    if (it == object.end() || it->value().is_null()) return true;
    const auto& v = it->value();
    if (v.is_string()) {
        out = api::Trim(std::string_view(v.as_string()));
        return true;
    }
    if (number_ok && v.is_int64()) {
        out = std::to_string(v.as_int64());
        return true;
    }
    if (number_ok && v.is_uint64()) {
        out = std::to_string(v.as_uint64());
        return true;
    }
    return false;
}

void AddRoles(std::string_view text, ImportRow& row) {
    auto parsed = auth::ParseRoles(text);
    for (auto& r : parsed.roles) {
        if (std::find(row.roles.begin(), row.roles.end(), r) == row.roles.end()) row.roles.push_back(std::move(r));
    }
    for (auto& r : parsed.unknown) row.unknown_roles.push_back(std::move(r));
}

}  // namespace

std::vector<ImportRow> ParseImportRows(const boost::json::array& rows, std::vector<RowError>& errors) {
    std::vector<ImportRow> out;
    out.reserve(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        ImportRow row;
        row.row = static_cast<int>(i + 1);
        if (!rows[i].is_object()) {
            errors.push_back({row.row, "", "invalid_row", "每一行应为对象 / each row must be an object"});
            continue;
        }
        const auto& o = rows[i].as_object();
        auto text = [&](std::string_view key, bool number_ok, std::string& target) {
            if (!ReadRowText(o, key, number_ok, target)) {
                errors.push_back({row.row, std::string(key), "invalid_value",
                                  number_ok ? "应为文本或数字 / must be text or a number" : "应为文本 / must be text"});
            }
        };
        text("employee_no", true, row.employee_no);
        text("name", false, row.name);
        text("login", false, row.login);
        text("mobile", true, row.mobile);
        text("department", false, row.department);
        text("team", false, row.team);
        text("position", false, row.position);
        text("supervisor_employee_no", true, row.supervisor_employee_no);

        if (auto it = o.find("roles"); it != o.end() && !it->value().is_null()) {
            const auto& v = it->value();
            bool ok = true;
            if (v.is_string()) {
                AddRoles(v.as_string(), row);
            } else if (v.is_array()) {
                for (const auto& item : v.as_array()) {
                    if (!item.is_string()) {
                        ok = false;
                        break;
                    }
                    AddRoles(item.as_string(), row);
                }
            } else {
                ok = false;
            }
            if (!ok) {
                errors.push_back(
                    {row.row, "roles", "invalid_value", "应为角色名文本或列表 / must be role names as text or a list"});
            }
        }
        if (auto it = o.find("password"); it != o.end() && !it->value().is_null()) {
            if (it->value().is_string()) {
                std::string password(it->value().as_string());
                if (!password.empty()) row.password = std::move(password);
            } else {
                errors.push_back({row.row, "password", "invalid_value", "应为文本 / must be text"});
            }
        }
        out.push_back(std::move(row));
    }
    return out;
}

namespace {

std::string JoinRowNumbers(const std::vector<int>& rows, int except) {
    std::string zh;
    std::string en;
    for (int r : rows) {
        if (r == except) continue;
        if (!zh.empty()) {
            zh += "、";
            en += ", ";
        }
        zh += std::to_string(r);
        en += std::to_string(r);
    }
    return "与第 " + zh + " 行重复 / same as row(s) " + en;
}

// Builds the import plan step by step; each step adds errors and fills indexes for the next.
class ImportPlanner {
public:
    ImportPlanner(const std::vector<ImportRow>& rows, const ImportSnapshot& snapshot,
                  const std::function<std::string()>& new_id)
        : rows_(rows), snapshot_(snapshot), new_id_(new_id) {}

    ImportPlan Run() {
        IndexSnapshot();
        for (const auto& row : rows_) CheckFields(row);
        FindDuplicates("login", [](const ImportRow& r) { return r.login; });
        FindDuplicates("employee_no", [](const ImportRow& r) { return r.employee_no; });
        FindDuplicates("mobile", [](const ImportRow& r) { return r.mobile; });
        MatchExistingUsers();
        ResolveSupervisors();
        FindSupervisorCycles();
        if (!plan_.errors.empty()) {
            std::stable_sort(plan_.errors.begin(), plan_.errors.end(),
                             [](const RowError& a, const RowError& b) { return a.row < b.row; });
            return std::move(plan_);
        }
        PlanWrites();
        return std::move(plan_);
    }

private:
    void Fail(const ImportRow& row, std::string field, std::string code, std::string message) {
        plan_.errors.push_back({row.row, std::move(field), std::move(code), std::move(message)});
    }

    void IndexSnapshot() {
        for (const auto& u : snapshot_.users) {
            if (u.employee_no && !u.employee_no->empty()) db_by_employee_no_.emplace(*u.employee_no, &u);
            db_by_login_.emplace(u.login, &u);
            if (!u.mobile.empty()) db_by_mobile_[u.mobile].push_back(&u);
            supervisor_links_.emplace(u.id, u.supervisor_id);
        }
        std::vector<const Department*> departments;
        for (const auto& d : snapshot_.departments) departments.push_back(&d);
        // Deterministic choice when siblings share a name: lowest sort order, then oldest id.
        std::sort(departments.begin(), departments.end(), [](const Department* a, const Department* b) {
            return std::tie(a->sort_order, a->id) < std::tie(b->sort_order, b->id);
        });
        for (const auto* d : departments) {
            department_children_.emplace(std::make_pair(d->parent_id.value_or(""), d->name), d->id);
            department_sites_[d->id] = d->site_id;
        }
        for (const auto& t : snapshot_.teams) teams_.emplace(std::make_pair(t.department_id, t.name), t.id);
        for (const auto& p : snapshot_.positions) positions_.emplace(p.name, &p);
    }

    void Required(const ImportRow& row, const std::string& value, const char* field) {
        if (value.empty()) Fail(row, field, "required", "必填 / is required");
    }

    void MaxChars(const ImportRow& row, const std::string& value, const char* field, size_t max_chars) {
        if (api::Utf8Length(value) > max_chars) Fail(row, field, "too_long", TooLong(max_chars));
    }

    void CheckFields(const ImportRow& row) {
        Required(row, row.employee_no, "employee_no");
        MaxChars(row, row.employee_no, "employee_no", kMaxEmployeeNoChars);
        Required(row, row.name, "name");
        MaxChars(row, row.name, "name", kMaxNameChars);
        if (row.login.empty()) {
            Required(row, row.login, "login");
        } else if (!IsValidLogin(row.login)) {
            Fail(row, "login", "invalid_login",
                 "登录名须为 2–32 位小写字母、数字或 . _ - / must be 2–32 of a-z, 0-9, '.', '_', '-'");
        }
        if (!row.mobile.empty() && !IsValidMobile(row.mobile)) {
            Fail(row, "mobile", "invalid_mobile", "手机号须为 1 开头的 11 位数字 / must be 11 digits starting with 1");
        }
        if (row.department.empty()) {
            Required(row, row.department, "department");
        } else if (auto parts = SplitDepartmentPath(row.department); !parts) {
            Fail(row, "department", "invalid_department",
                 "部门路径有误，应如 生产部/焊接一车间 / must be a path like 生产部/焊接一车间");
        } else {
            for (const auto& part : *parts) {
                if (api::Utf8Length(part) > kMaxNameChars) {
                    Fail(row, "department", "too_long", TooLong(kMaxNameChars));
                    break;
                }
            }
        }
        MaxChars(row, row.team, "team", kMaxNameChars);
        MaxChars(row, row.position, "position", kMaxNameChars);
        if (!row.unknown_roles.empty()) {
            std::string names;
            for (const auto& r : row.unknown_roles) names += (names.empty() ? "" : ", ") + r;
            Fail(row, "roles", "unknown_role", "未知角色：" + names + " / unknown role(s): " + names);
        }
        if (row.password) {
            std::string problem = auth::PasswordProblem(*row.password);
            if (!problem.empty()) Fail(row, "password", "invalid_password", problem);
        }
    }

    template <typename Key>
    void FindDuplicates(const char* field, Key key) {
        std::map<std::string, std::vector<int>, std::less<>> seen;
        for (const auto& row : rows_) {
            std::string value = key(row);
            if (!value.empty()) seen[value].push_back(row.row);
        }
        for (const auto& row : rows_) {
            std::string value = key(row);
            if (value.empty()) continue;
            const auto& where = seen[value];
            if (where.size() > 1) Fail(row, field, "duplicate", JoinRowNumbers(where, row.row));
        }
        if (std::string_view(field) == "employee_no") {
            for (const auto& [value, where] : seen) {
                if (where.size() == 1) file_row_by_employee_no_.emplace(value, static_cast<size_t>(where.front() - 1));
            }
        }
    }

    void MatchExistingUsers() {
        row_user_ids_.resize(rows_.size());
        matched_.resize(rows_.size(), nullptr);
        for (size_t i = 0; i < rows_.size(); ++i) {
            const auto& row = rows_[i];
            if (auto it = db_by_employee_no_.find(row.employee_no);
                !row.employee_no.empty() && it != db_by_employee_no_.end()) {
                matched_[i] = it->second;
                row_user_ids_[i] = it->second->id;
            } else {
                row_user_ids_[i] = new_id_();
            }
            const User* self = matched_[i];
            if (!row.login.empty()) {
                auto it = db_by_login_.find(row.login);
                bool taken_here = it != db_by_login_.end() && it->second != self;
                if (taken_here || snapshot_.logins_elsewhere.contains(row.login)) {
                    Fail(row, "login", "login_taken", "登录名已被其他用户使用 / the login is used by another user");
                }
            }
            if (!row.mobile.empty()) {
                auto it = db_by_mobile_.find(row.mobile);
                if (it != db_by_mobile_.end() &&
                    std::any_of(it->second.begin(), it->second.end(), [&](const User* u) { return u != self; })) {
                    Fail(row, "mobile", "mobile_taken", "手机号已被其他用户使用 / the mobile is used by another user");
                }
            }
        }
    }

    void ResolveSupervisors() {
        row_supervisor_ids_.resize(rows_.size());
        supervisor_rows_.resize(rows_.size());
        for (size_t i = 0; i < rows_.size(); ++i) {
            const auto& row = rows_[i];
            const auto& wanted = row.supervisor_employee_no;
            if (wanted.empty()) continue;
            if (wanted == row.employee_no) {
                Fail(row, "supervisor_employee_no", "supervisor_cycle",
                     "不能以本人为直属上级 / a person cannot be their own supervisor");
                continue;
            }
            if (auto it = file_row_by_employee_no_.find(wanted); it != file_row_by_employee_no_.end()) {
                row_supervisor_ids_[i] = row_user_ids_[it->second];
                supervisor_rows_[i] = it->second;
            } else if (auto db = db_by_employee_no_.find(wanted); db != db_by_employee_no_.end()) {
                row_supervisor_ids_[i] = db->second->id;
            } else {
                Fail(row, "supervisor_employee_no", "supervisor_not_found",
                     std::string("找不到工号为 ")
                         .append(wanted)
                         .append(" 的人员 / no person with employee number ")
                         .append(wanted));
            }
        }
    }

    void FindSupervisorCycles() {
        Links links = supervisor_links_;
        for (size_t i = 0; i < rows_.size(); ++i) links[row_user_ids_[i]] = row_supervisor_ids_[i];
        for (size_t i = 0; i < rows_.size(); ++i) {
            const auto& row = rows_[i];
            if (!row_supervisor_ids_[i] || row.supervisor_employee_no == row.employee_no) continue;
            // The row is on a loop when its new supervisor chain leads back to it.
            if (CreatesCycle(links, row_user_ids_[i], row_supervisor_ids_[i])) {
                Fail(row, "supervisor_employee_no", "supervisor_cycle",
                     "直属上级关系形成循环 / the supervisor chain loops back to this person");
            }
        }
    }

    std::string ResolveDepartment(const std::string& path) {
        std::string parent;  // "" = top level
        std::optional<std::string> parent_site = snapshot_.default_site_id;
        const auto parts = SplitDepartmentPath(path);  // valid: checked before any write is planned
        for (const auto& name : *parts) {
            auto key = std::make_pair(parent, name);
            auto it = department_children_.find(key);
            if (it == department_children_.end()) {
                Department d;
                d.id = new_id_();
                d.tenant_id = snapshot_.tenant_id;
                d.site_id = parent.empty() ? snapshot_.default_site_id : parent_site;
                if (!parent.empty()) d.parent_id = parent;
                d.name = name;
                d.created_at = snapshot_.now;
                department_sites_[d.id] = d.site_id;
                it = department_children_.emplace(key, d.id).first;
                plan_.new_departments.push_back(std::move(d));
            }
            parent = it->second;
            parent_site = department_sites_[parent];
        }
        return parent;
    }

    std::optional<std::string> ResolveTeam(const std::string& department_id, const std::string& name) {
        if (name.empty()) return std::nullopt;
        auto key = std::make_pair(department_id, name);
        auto it = teams_.find(key);
        if (it != teams_.end()) return it->second;
        Team t;
        t.id = new_id_();
        t.tenant_id = snapshot_.tenant_id;
        t.department_id = department_id;
        t.name = name;
        t.created_at = snapshot_.now;
        teams_.emplace(key, t.id);
        plan_.new_teams.push_back(t);
        return t.id;
    }

    const Position* ResolvePosition(const std::string& name) {
        if (name.empty()) return nullptr;
        auto it = positions_.find(name);
        if (it != positions_.end()) return it->second;
        Position p;
        p.id = new_id_();
        p.tenant_id = snapshot_.tenant_id;
        p.name = name;
        p.created_at = snapshot_.now;
        created_positions_.push_back(p);
        plan_.new_positions.push_back(std::move(p));
        positions_.emplace(name, &created_positions_.back());
        return &created_positions_.back();
    }

    // Rows in an order where a supervisor created by this import comes before those reporting to them.
    std::vector<size_t> SupervisorsFirst() const {
        std::vector<size_t> order;
        std::vector<bool> emitted(rows_.size(), false);
        for (size_t i = 0; i < rows_.size(); ++i) {
            std::vector<size_t> chain;
            std::optional<size_t> current = i;
            while (current && !emitted[*current] && std::find(chain.begin(), chain.end(), *current) == chain.end()) {
                chain.push_back(*current);
                current = supervisor_rows_[*current];
            }
            std::reverse(chain.begin(), chain.end());
            for (size_t row : chain) {
                emitted[row] = true;
                order.push_back(row);
            }
        }
        return order;
    }

    void PlanWrites() {
        for (size_t i : SupervisorsFirst()) {
            const auto& row = rows_[i];
            ImportUserWrite write;
            write.row = row.row;
            User user;
            if (matched_[i]) {
                write.before = *matched_[i];
                user = *matched_[i];
            } else {
                user.id = row_user_ids_[i];
                user.tenant_id = snapshot_.tenant_id;
                user.created_at = snapshot_.now;
                write.password = row.password;
                if (row.password) user.password_changed_at = snapshot_.now;
                user.has_password = row.password.has_value();
            }
            user.name = row.name;
            user.login = row.login;
            user.mobile = row.mobile;
            user.employee_no = row.employee_no;
            user.department_id = ResolveDepartment(row.department);
            user.site_id = department_sites_[*user.department_id];
            user.team_id = ResolveTeam(*user.department_id, row.team);
            const Position* position = ResolvePosition(row.position);
            user.position_id = position ? std::optional<std::string>(position->id) : std::nullopt;
            user.position_roles = position ? position->roles : std::vector<std::string>{};
            user.supervisor_id = row_supervisor_ids_[i];
            if (!row.roles.empty()) {
                user.roles = row.roles;
            } else if (!matched_[i] && user.position_roles.empty()) {
                // Someone with no role at all could not even see their own team.
                user.roles = {std::string(auth::role::kWorker)};
            }
            user.updated_at = snapshot_.now;
            write.after = std::move(user);
            plan_.users.push_back(std::move(write));
        }
    }

    const std::vector<ImportRow>& rows_;
    const ImportSnapshot& snapshot_;
    const std::function<std::string()>& new_id_;
    ImportPlan plan_;

    std::map<std::string, const User*, std::less<>> db_by_employee_no_;
    std::map<std::string, const User*, std::less<>> db_by_login_;
    std::map<std::string, std::vector<const User*>, std::less<>> db_by_mobile_;
    Links supervisor_links_;
    std::map<std::pair<std::string, std::string>, std::string> department_children_;  // (parent, name) -> id
    std::map<std::string, std::optional<std::string>> department_sites_;
    std::map<std::pair<std::string, std::string>, std::string> teams_;  // (department, name) -> id
    std::map<std::string, const Position*, std::less<>> positions_;
    std::deque<Position> created_positions_;  // stable addresses for positions_

    std::map<std::string, size_t, std::less<>> file_row_by_employee_no_;  // unique employee numbers only
    std::vector<const User*> matched_;
    std::vector<std::string> row_user_ids_;
    std::vector<std::optional<std::string>> row_supervisor_ids_;
    std::vector<std::optional<size_t>> supervisor_rows_;
};

}  // namespace

ImportPlan PlanImport(const std::vector<ImportRow>& rows, const ImportSnapshot& snapshot,
                      const std::function<std::string()>& new_id) {
    return ImportPlanner(rows, snapshot, new_id).Run();
}

}  // namespace safeloop::org
