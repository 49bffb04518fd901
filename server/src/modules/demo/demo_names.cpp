#include "modules/demo/demo_names.hpp"

#include <array>
#include <string_view>

namespace safeloop::demo {

namespace {

// Common surnames; the first ones appear several times so that 王, 李, 张, 刘, 陈 dominate as they do.
constexpr std::array<std::string_view, 88> kSurnames = {
    "王", "王", "王", "李", "李", "李", "张", "张", "张", "刘", "刘", "陈", "陈", "杨", "杨", "黄", "赵", "吴",
    "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩",
    "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
    "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾",
    "夏", "韦", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "阎", "段", "钱", "俞"};

constexpr std::array<std::string_view, 60> kMaleGiven = {
    "伟",   "强",   "磊",   "军",   "勇",   "杰",   "涛",   "明",   "超",   "刚",   "平",   "辉",
    "鹏",   "华",   "飞",   "斌",   "波",   "宇",   "浩",   "凯",   "健",   "俊",   "帆",   "帅",
    "旭",   "宁",   "龙",   "林",   "阳",   "峰",   "建国", "建华", "建军", "志强", "志明", "海涛",
    "海波", "晓东", "晓峰", "国强", "国华", "永刚", "永强", "文斌", "文杰", "立新", "立军", "振华",
    "红兵", "春生", "德明", "长江", "金龙", "庆丰", "家豪", "子轩", "浩然", "宇航", "俊杰", "鑫"};

constexpr std::array<std::string_view, 40> kFemaleGiven = {
    "芳",   "娜",   "敏",   "静",   "丽",   "艳",   "娟",   "霞",   "燕",   "玲",   "婷",   "雪",   "慧",   "颖",
    "琳",   "洁",   "秀英", "桂英", "秀兰", "玉兰", "丽华", "美玲", "晓燕", "晓红", "海燕", "春梅", "红梅", "丹丹",
    "欣怡", "雨欣", "佳怡", "思琪", "梦瑶", "文静", "雅琴", "淑芬", "月娥", "凤英", "巧云", "小红"};

constexpr std::array<std::string_view, 27> kMobilePrefixes = {
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
    "156", "157", "158", "159", "180", "181", "182", "183", "185", "186", "187", "188", "189"};

constexpr int kMobileSuffixDigits = 8;

}  // namespace

std::string NameGenerator::Next(bool male) {
    while (true) {
        std::string name(kSurnames[rng_.Below(kSurnames.size())]);
        name += male ? kMaleGiven[rng_.Below(kMaleGiven.size())] : kFemaleGiven[rng_.Below(kFemaleGiven.size())];
        // A third of single-character names get a second character, as real given names often have two.
        if (name.size() == 6 && rng_.Chance(30)) {
            name += male ? kMaleGiven[rng_.Below(30)] : kFemaleGiven[rng_.Below(16)];
        }
        if (used_.insert(name).second) return name;
    }
}

std::string MobileGenerator::Next() {
    while (true) {
        std::string mobile(kMobilePrefixes[rng_.Below(kMobilePrefixes.size())]);
        for (int i = 0; i < kMobileSuffixDigits; ++i) mobile.push_back(static_cast<char>('0' + rng_.Below(10)));
        if (used_.insert(mobile).second) return mobile;
    }
}

}  // namespace safeloop::demo
