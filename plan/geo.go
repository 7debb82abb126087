package plan

import "math"

// province is one of the 31 mainland provincial divisions with facts the
// planner needs: the GB/T 2260 code, the capital's approximate coordinates
// (general geographic knowledge, rounded to 0.01°; used as the province's
// centroid for distances), the traditional geographic region (华北, 东北, 华东,
// 华中, 华南, 西南, 西北), which is the default carrier zone, and the 2020
// census population in millions (approximate), which the instance generator
// uses to weight destinations.
type province struct {
	code, name, capital string
	lat, lon            float64
	region              string
	popM                float64
}

// numProvinces is the number of mainland provincial divisions.
const numProvinces = 31

var provinces = [numProvinces]province{
	{"11", "北京", "北京", 39.90, 116.41, "north", 21.9},
	{"12", "天津", "天津", 39.13, 117.20, "north", 13.9},
	{"13", "河北", "石家庄", 38.04, 114.51, "north", 74.6},
	{"14", "山西", "太原", 37.87, 112.55, "north", 34.9},
	{"15", "内蒙古", "呼和浩特", 40.84, 111.75, "north", 24.0},
	{"21", "辽宁", "沈阳", 41.81, 123.43, "northeast", 42.6},
	{"22", "吉林", "长春", 43.82, 125.32, "northeast", 24.1},
	{"23", "黑龙江", "哈尔滨", 45.80, 126.53, "northeast", 31.9},
	{"31", "上海", "上海", 31.23, 121.47, "east", 24.9},
	{"32", "江苏", "南京", 32.06, 118.80, "east", 84.7},
	{"33", "浙江", "杭州", 30.27, 120.16, "east", 64.6},
	{"34", "安徽", "合肥", 31.82, 117.23, "east", 61.0},
	{"35", "福建", "福州", 26.07, 119.30, "east", 41.5},
	{"36", "江西", "南昌", 28.68, 115.86, "east", 45.2},
	{"37", "山东", "济南", 36.65, 117.12, "east", 101.5},
	{"41", "河南", "郑州", 34.75, 113.63, "central", 99.4},
	{"42", "湖北", "武汉", 30.59, 114.31, "central", 57.8},
	{"43", "湖南", "长沙", 28.23, 112.94, "central", 66.4},
	{"44", "广东", "广州", 23.13, 113.26, "south", 126.0},
	{"45", "广西", "南宁", 22.82, 108.37, "south", 50.1},
	{"46", "海南", "海口", 20.04, 110.20, "south", 10.1},
	{"50", "重庆", "重庆", 29.56, 106.55, "southwest", 32.1},
	{"51", "四川", "成都", 30.57, 104.07, "southwest", 83.7},
	{"52", "贵州", "贵阳", 26.65, 106.63, "southwest", 38.6},
	{"53", "云南", "昆明", 25.04, 102.71, "southwest", 47.2},
	{"54", "西藏", "拉萨", 29.65, 91.13, "southwest", 3.6},
	{"61", "陕西", "西安", 34.34, 108.94, "northwest", 39.5},
	{"62", "甘肃", "兰州", 36.06, 103.83, "northwest", 25.0},
	{"63", "青海", "西宁", 36.62, 101.78, "northwest", 5.9},
	{"64", "宁夏", "银川", 38.49, 106.23, "northwest", 7.2},
	{"65", "新疆", "乌鲁木齐", 43.83, 87.62, "northwest", 25.9},
}

// provinceIndex maps a 2-digit code to its index in provinces.
var provinceIndex = func() map[string]int {
	m := make(map[string]int, len(provinces))
	for i, p := range provinces {
		m[p.code] = i
	}
	return m
}()

// distanceKM is the great-circle distance. The planner only ranks warehouses
// by it and prints it, so the spherical earth is accurate enough.
func distanceKM(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dlat := (lat2 - lat1) * rad
	dlon := (lon2 - lon1) * rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}
