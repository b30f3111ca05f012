# gen.awk - a province of registered poor households and their members for
# the household benchmark (issue 14: import >= 200,000 member rows/s,
# `zhucun outcomes` for a province <= 2 s). Seeded; demo data, not people.
# usage: awk -v n=1000000 -v seed=1 -v out=DIR -f gen.awk villages.txt
#   villages.txt: one 12-digit village committee code a line (the real tree)
# Writes DIR/villages.csv, DIR/households.csv, DIR/members.csv. Households
# go round the villages in turn; each has 1-7 members (mean ~3.6), the
# first its head (户主) whose ID number is the household's 户主身份证号.
# ID numbers are valid GB 11643 numbers under the village's county, unique
# by (birth date, sequence) drawn from a counter.
function idnum(county, k,    d, y, m, dd, seq, id, s, j) {
    # k < 26,880,000: 80 years of 12 months of 28 days, 1,000 a day.
    seq = k % 1000; d = int(k / 1000);
    y = 1940 + int(d / 336); m = 1 + int((d % 336) / 28); dd = 1 + d % 28;
    id = sprintf("%06d%04d%02d%02d%03d", county, y, m, dd, seq);
    s = 0; for (j = 1; j <= 17; j++) s += substr(id, j, 1) * w[j];
    return id substr("10X98765432", s % 11 + 1, 1);
}
BEGIN {
    srand(seed);
    split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ");
    split("配偶 子女 子女 子女 父母 孙子女 其他", rel, " ");
    split("因病 因残 因学 因灾 缺土地 缺水 缺技术 缺劳力 缺资金 交通条件落后 自身发展动力不足", cause, " ");
    split("健康 健康 健康 长期慢性病 大病 残疾", health, " ");
    split("普通劳动力 普通劳动力 技能劳动力 弱劳动力或半劳动力 丧失劳动力 无劳动力", work, " ");
}
{ v[nv++] = $1 }
END {
    hf = out "/households.csv"; mf = out "/members.csv"; vf = out "/villages.csv";
    print "户编号,区划代码,户主身份证号,人口数,致贫原因,人均纯收入,脱贫状态,识别年度" > hf;
    print "户编号,身份证号,姓名,与户主关系,性别,出生日期,文化程度,健康状况,劳动能力,在校生状况" > mf;
    k = 0;
    for (h = 0; h < n; h++) {
        vi = h % nv; code = v[vi]; county = int(code / 1000000);
        size = 1 + int(rand() * 4) + int(rand() * 4);
        hh[vi] += 1; pp[vi] += size;
        if (h % 3 != 0) { poorh[vi] += 1; poorp[vi] += size; }
        head = "";
        for (j = 0; j < size; j++) {
            id = idnum(county, k++);
            if (j == 0) head = id;
            sex = (substr(id, 17, 1) % 2) ? "男" : "女";
            printf "H%08d,%s,成员%d,%s,%s,%s-%s-%s,小学,%s,%s,\n", h, id, k,
                j == 0 ? "户主" : rel[1 + int(rand() * 7)], sex,
                substr(id, 7, 4), substr(id, 11, 2), substr(id, 13, 2),
                health[1 + int(rand() * 6)], work[1 + int(rand() * 6)] > mf;
        }
        printf "H%08d,%s,%s,%d,%s,%d,%s,%d\n", h, code, head, size, cause[1 + int(rand() * 11)],
            1500 + int(rand() * 3000), h % 3 == 0 ? "已脱贫" : "未脱贫", 2014 + h % 3 > hf;
    }
    # The village ledger: the registered households are its poor ones,
    # inside a registered population four times as large.
    print "区划代码,贫困类型,户数,人口,贫困户数,贫困人口" > vf;
    for (i = 0; i < nv; i++)
        printf "%s,%s,%d,%d,%d,%d\n", v[i], i % 5 == 0 ? "深度贫困村" : "贫困村",
            4 * hh[i] + 1, 4 * pp[i] + 4, hh[i], pp[i] > vf;
}
