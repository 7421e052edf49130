/* placeholder: being written */
typedef int dp_placeholder_ads_t;
