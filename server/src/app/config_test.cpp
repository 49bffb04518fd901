#include "app/config.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace safeloop::app {
namespace {

Result<Config> Parse(std::vector<std::string> args) {
    args.insert(args.begin(), "safeloop");
    std::vector<char*> argv;
    argv.reserve(args.size());
    for (auto& arg : args) argv.push_back(arg.data());
    return ParseArgs(static_cast<int>(argv.size()), argv.data());
}

TEST(Config, FilesLiveInTheDataFolderOnSqliteAndInTheDatabaseOnPostgres) {
    auto sqlite = Parse({"serve", "--data", "/srv/safeloop"});
    ASSERT_TRUE(sqlite.ok());
    EXPECT_EQ(sqlite->FileFolder(), std::filesystem::path("/srv/safeloop/files"));
    auto postgres = Parse({"serve", "--db", "postgresql://app@db:5432/safeloop"});
    ASSERT_TRUE(postgres.ok());
    EXPECT_EQ(postgres->FileFolder(), std::nullopt);
}

TEST(Config, FilesFlagChoosesTheFolderOnEitherDatabase) {
    auto postgres = Parse({"serve", "--db", "postgresql://app@db:5432/safeloop", "--files", "/mnt/shared/files"});
    ASSERT_TRUE(postgres.ok());
    EXPECT_EQ(postgres->FileFolder(), std::filesystem::path("/mnt/shared/files"));
    auto sqlite = Parse({"serve", "--data", "/srv/safeloop", "--files=/mnt/big-disk/files"});
    ASSERT_TRUE(sqlite.ok());
    EXPECT_EQ(sqlite->FileFolder(), std::filesystem::path("/mnt/big-disk/files"));
    EXPECT_FALSE(Parse({"serve", "--files"}).ok());
    EXPECT_FALSE(Parse({"serve", "--files="}).ok());
}

TEST(Config, ConnectionCapAndDatabaseWaitHaveDefaultsAndBounds) {
    auto defaults = Parse({"serve"});
    ASSERT_TRUE(defaults.ok());
    EXPECT_EQ(defaults->max_connections, 0u);  // derived from the open-file limit when serving
    EXPECT_EQ(defaults->db_wait_s, 5);
    auto set = Parse({"serve", "--max-connections", "50", "--db-wait-s=2"});
    ASSERT_TRUE(set.ok());
    EXPECT_EQ(set->max_connections, 50u);
    EXPECT_EQ(set->db_wait_s, 2);
    EXPECT_FALSE(Parse({"serve", "--max-connections", "3"}).ok());
    EXPECT_FALSE(Parse({"serve", "--max-connections", "many"}).ok());
    EXPECT_FALSE(Parse({"serve", "--db-wait-s", "0"}).ok());
}

}  // namespace
}  // namespace safeloop::app
